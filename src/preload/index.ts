import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { IPC } from '../main/ipc/channels'

/**
 * Exposes the contract transport and nothing else: one call function and one subscription
 * primitive. No raw ipcRenderer, no Node. The renderer wraps this in the typed PaddockClient.
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
}

export type PaddockBridge = typeof bridge

contextBridge.exposeInMainWorld('paddockBridge', bridge)
