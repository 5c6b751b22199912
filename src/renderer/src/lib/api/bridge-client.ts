import type { Method, MethodInput, MethodOutput } from '../../../../shared/contract'
import type { Cursors, PaddockEvent } from '../../../../shared/events'
import type { CallOutcome } from '../../../../shared/wire'
import type { ConnectionStatus, Disposer, PaddockClient } from '../../../../shared/client'
import { CursorTracker, unwrapOutcome } from '../../../../shared/client'
import { ContractError } from '../../../../shared/errors'

/**
 * What the Electron preload exposes as `window.paddockBridge`. Declared here rather than imported:
 * the renderer may not depend on src/preload (lint forbids it), only on its shape.
 */
export interface PaddockBridge {
  call(method: string, params: unknown): Promise<unknown>
  subscribe(
    since: Record<string, number>,
    onEvent: (event: unknown) => void,
    onReplayed: () => void,
  ): () => void
  /** Asks the main process to open a link outside the app; it does only during a user gesture. */
  openExternal(url: string): void
  /** Asks for an OS notification (a `DesktopNotifyRequest`, validated by the main process). */
  notify(request: unknown): void
  /** Asks the main process to open the logs folder in the file manager. */
  openLogsFolder(): void
  /** Asks for the system's folder dialog; answers the chosen folder's path or null. */
  chooseFolder(): Promise<unknown>
  /** Sets the dock/taskbar badge count. */
  setBadge(count: number): void
  /** Hears clicks on notifications (a `NotificationClick`); returns a disposer. */
  onNotificationClick(listener: (click: unknown) => void): () => void
  /** Hears the downloaded update waiting for a restart (an `UpdateNotice`); returns a disposer. */
  onUpdateNotice(listener: (notice: unknown) => void): () => void
  /** Asks to restart and install it (a `RestartOutcome`). */
  restartToUpdate(): Promise<unknown>
}

declare global {
  interface Window {
    paddockBridge?: PaddockBridge
  }
}

/** The contract client over Electron IPC. IPC does not drop, so the status is always 'open'. */
export class BridgeClient implements PaddockClient {
  constructor(private readonly bridge: PaddockBridge) {}

  async call<M extends Method>(method: M, params: MethodInput<M>): Promise<MethodOutput<M>> {
    let outcome: CallOutcome
    try {
      outcome = (await this.bridge.call(method, params)) as CallOutcome
    } catch (err) {
      throw new ContractError('io_error', err instanceof Error ? err.message : String(err))
    }
    return unwrapOutcome(outcome) as MethodOutput<M>
  }

  subscribe(
    since: Cursors,
    onEvent: (event: PaddockEvent) => void,
    onReplayed?: () => void,
  ): Disposer {
    const tracker = new CursorTracker(since)
    return this.bridge.subscribe(
      since,
      (raw) => {
        const event = raw as PaddockEvent
        if (tracker.accept(event)) onEvent(event)
      },
      () => onReplayed?.(),
    )
  }

  onStatus(listener: (status: ConnectionStatus) => void): Disposer {
    listener('open')
    return () => {}
  }
}
