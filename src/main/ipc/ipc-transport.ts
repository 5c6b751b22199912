import { ipcMain } from 'electron'
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron'
import { z } from 'zod'
import { CursorsSchema } from '../../shared/events'
import type { CallOutcome } from '../../shared/wire'
import type { Logger } from '../core/logger'
import type { Engine } from '../host/engine'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

const SubscribeArgs = z
  .object({ subId: z.number().int().nonnegative(), since: CursorsSchema })
  .strict()

export interface IpcTransportOptions {
  engine: Engine
  logger: Logger
  rendererIndexUrl: string
  devServerUrl?: string
}

/**
 * The contract over Electron IPC: every call and subscription is checked against its sender frame
 * (our window's top frame only), then goes through the same dispatcher as every other transport.
 */
export function registerIpcTransport(options: IpcTransportOptions): () => void {
  const { engine, logger } = options
  const subs = new Map<string, () => void>()
  const trusted = (e: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const ok = isTrustedSender(e.senderFrame, options.rendererIndexUrl, options.devServerUrl)
    if (!ok) logger.log('warn', 'IPC from an untrusted frame refused', { url: e.senderFrame?.url })
    return ok
  }

  ipcMain.handle(IPC.call, async (e, method: unknown, params: unknown): Promise<CallOutcome> => {
    if (!trusted(e))
      return { ok: false, error: { code: 'unauthorized', message: 'Untrusted sender.' } }
    return engine.call(method, params, { transport: 'ipc', client: `ipc-${e.sender.id}` })
  })

  ipcMain.on(IPC.subscribe, (e, args: unknown) => {
    if (!trusted(e)) return
    const parsed = SubscribeArgs.safeParse(args)
    if (!parsed.success) {
      logger.log('warn', 'bad IPC subscribe', { error: parsed.error.message })
      return
    }
    const { subId, since } = parsed.data
    const wc: WebContents = e.sender
    const key = `${wc.id}:${subId}`
    subs.get(key)?.()
    // One client per window: terminals it attaches stream to its latest subscription.
    const sub = engine.subscribe(
      since,
      (event) => {
        if (!wc.isDestroyed()) wc.send(IPC.event, subId, event)
      },
      { id: `ipc-${wc.id}` },
    )
    const dispose = (): void => {
      sub.dispose()
      subs.delete(key)
    }
    subs.set(key, dispose)
    wc.once('destroyed', dispose)
    for (const event of sub.replay) wc.send(IPC.event, subId, event)
    wc.send(IPC.replayed, subId)
  })

  ipcMain.on(IPC.unsubscribe, (e, subId: unknown) => {
    if (!trusted(e) || typeof subId !== 'number') return
    subs.get(`${e.sender.id}:${subId}`)?.()
  })

  return () => {
    ipcMain.removeHandler(IPC.call)
    ipcMain.removeAllListeners(IPC.subscribe)
    ipcMain.removeAllListeners(IPC.unsubscribe)
    for (const dispose of [...subs.values()]) dispose()
  }
}
