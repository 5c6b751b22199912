import { z } from 'zod'
import type { Workspace } from '../../../../shared/model'
import { errorMessage } from '../../lib/api/error-message'
import { openWorkspace } from '../commands'
import { useAppStore } from '../store'

const ChosenSchema = z.string().min(1).nullable()

/**
 * "Open folder": in the desktop app the system's own folder dialog, then the folder is opened as
 * a workspace (a refusal becomes a notice); in a browser, the folder browser over the host's
 * files (its dialog shows its own errors). Resolves with the workspace the desktop dialog opened,
 * or null (cancelled, refused, or the browser's dialog took over).
 */
export async function chooseFolder(): Promise<Workspace | null> {
  const store = useAppStore.getState()
  const bridge = window.paddockBridge
  if (!bridge) {
    store.showOpenFolder()
    return null
  }
  try {
    const chosen = ChosenSchema.parse(await bridge.chooseFolder())
    return chosen === null ? null : await openWorkspace(chosen)
  } catch (err) {
    store.notify(`Could not open the folder: ${errorMessage(err)}`)
    return null
  }
}
