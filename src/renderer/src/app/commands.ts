import type { Workspace } from '../../../shared/model'
import { getClient } from '../lib/api/client'
import { errorMessage } from '../lib/api/error-message'
import { useAppStore } from './store'

/**
 * User actions that change the host. None of them edits the store's host state: the events they
 * cause do. Failures become a notice (except opening a folder, whose dialog shows its own error).
 */
const notify = (message: string): void => useAppStore.getState().notify(message)

export async function createSession(workspaceId: string): Promise<void> {
  try {
    const session = await getClient().call('sessions.create', { workspaceId })
    useAppStore.getState().openTab(session.id)
  } catch (err) {
    notify(`Could not create a session: ${errorMessage(err)}`)
  }
}

export async function renameSession(sessionId: string, title: string): Promise<void> {
  try {
    await getClient().call('sessions.rename', { sessionId, title })
  } catch (err) {
    notify(`Could not rename the session: ${errorMessage(err)}`)
  }
}

export async function deleteSession(sessionId: string): Promise<void> {
  try {
    await getClient().call('sessions.delete', { sessionId })
  } catch (err) {
    notify(`Could not delete the session: ${errorMessage(err)}`)
  }
}

export async function closeWorkspace(workspaceId: string): Promise<void> {
  try {
    await getClient().call('workspaces.close', { workspaceId })
  } catch (err) {
    notify(`Could not close the workspace: ${errorMessage(err)}`)
  }
}

/** Throws: the Open folder dialog shows why a folder cannot be opened. */
export function openWorkspace(path: string): Promise<Workspace> {
  return getClient().call('workspaces.open', { path })
}
