import type { HostInfo } from '../../../shared/model'
import { getClient } from '../lib/api/client'
import { errorMessage } from '../lib/api/error-message'
import { useAppStore } from './store'

/** Where the host writes its logs: `<data folder>/logs` (docs/troubleshooting.md). */
export function logsFolderOf(info: Pick<HostInfo, 'dataDir' | 'platform'>): string {
  return `${info.dataDir}${info.platform === 'win32' ? '\\' : '/'}logs`
}

/**
 * "Open logs folder": the desktop app opens it in the file manager; a browser cannot open a
 * folder, so the web host's page says where it is instead.
 */
export async function openLogsFolder(): Promise<void> {
  const notify = (message: string): void => useAppStore.getState().notify(message)
  const bridge = window.paddockBridge
  if (bridge) {
    bridge.openLogsFolder()
    return
  }
  try {
    const info = await getClient().call('host.info', {})
    notify(`The logs are in ${logsFolderOf(info)} (on the computer running the web host).`)
  } catch (err) {
    notify(`Could not ask where the logs are: ${errorMessage(err)}`)
  }
}
