import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { IPC } from '../main/ipc/channels'

/**
 * Exposes the contract transport and nothing else: one call function and one subscription
 * primitive, plus the one way a link leaves the app. No raw ipcRenderer, no Node. The renderer
 * wraps this in the typed PaddockClient.
 */
let nextSubId = 1

const bridge = {
  call: (method: string, params: unknown): Promise<unknown> =>
    ipcRenderer.invoke(IPC.call, method, params),
  subscribe: (
    since: Record<string, number>,
    onEvent: (event: unknown) => void,
    onReplayed: () => void,
  ): (() => void) => {
    const subId = nextSubId++
    const eventListener = (_e: IpcRendererEvent, id: number, event: unknown): void => {
      if (id === subId) onEvent(event)
    }
    const replayedListener = (_e: IpcRendererEvent, id: number): void => {
      if (id === subId) onReplayed()
    }
    ipcRenderer.on(IPC.event, eventListener)
    ipcRenderer.on(IPC.replayed, replayedListener)
    ipcRenderer.send(IPC.subscribe, { subId, since })
    return () => {
      ipcRenderer.off(IPC.event, eventListener)
      ipcRenderer.off(IPC.replayed, replayedListener)
      ipcRenderer.send(IPC.unsubscribe, subId)
    }
  },
  /**
   * Asks the main process to open a link in the user's browser. The page's user activation is read
   * here, in the preload's isolated world, where page script cannot fake it: the main process
   * opens nothing that a click or key press did not ask for.
   */
  openExternal: (url: string): void => {
    ipcRenderer.send(IPC.openExternal, { url, userGesture: hasUserActivation() })
  },
  /** Asks for an OS notification (`DesktopNotifyRequest`; the main process validates it). */
  notify: (request: unknown): void => {
    ipcRenderer.send(IPC.notify, request)
  },
  /** Asks the main process to open the logs folder in the file manager. */
  openLogsFolder: (): void => {
    ipcRenderer.send(IPC.openLogsFolder)
  },
  /** Asks for the system's folder dialog; answers the chosen folder's path, or null. */
  chooseFolder: (): Promise<unknown> => ipcRenderer.invoke(IPC.chooseFolder),
  /** Sets the dock/taskbar badge: how many sessions wait on the user. */
  setBadge: (count: number): void => {
    ipcRenderer.send(IPC.badge, count)
  },
  /** Hears which session a clicked notification is about (`NotificationClick`). */
  onNotificationClick: (listener: (click: unknown) => void): (() => void) => {
    const forward = (_e: IpcRendererEvent, click: unknown): void => listener(click)
    ipcRenderer.on(IPC.notificationClick, forward)
    return () => {
      ipcRenderer.off(IPC.notificationClick, forward)
    }
  },
  /**
   * Hears which downloaded update waits for a restart (an `UpdateNotice`): the current one at once,
   * then each change. Only the packaged desktop app ever has one.
   */
  onUpdateNotice: (listener: (notice: unknown) => void): (() => void) => {
    let live = true
    const forward = (_e: IpcRendererEvent, notice: unknown): void => listener(notice)
    ipcRenderer.on(IPC.updateNotice, forward)
    void ipcRenderer.invoke(IPC.updateGet).then(
      (notice: unknown) => {
        if (live) listener(notice)
      },
      () => {},
    )
    return () => {
      live = false
      ipcRenderer.off(IPC.updateNotice, forward)
    }
  },
  /** Asks to restart and install the downloaded update (answers a `RestartOutcome`). */
  restartToUpdate: (): Promise<unknown> => ipcRenderer.invoke(IPC.updateRestart),
}

/** `navigator.userActivation` (DOM), typed here because the preload compiles without the DOM lib. */
function hasUserActivation(): boolean {
  const nav: unknown = Reflect.get(globalThis, 'navigator')
  if (typeof nav !== 'object' || nav === null) return false
  const activation: unknown = Reflect.get(nav, 'userActivation')
  if (typeof activation !== 'object' || activation === null) return false
  return Reflect.get(activation, 'isActive') === true
}

export type PaddockBridge = typeof bridge

contextBridge.exposeInMainWorld('paddockBridge', bridge)
