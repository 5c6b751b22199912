import type { MethodInput, SessionPlace } from '../../../shared/contract'
import type { Workspace } from '../../../shared/model'
import { saveDraft } from '../features/composer/composer-storage'
import { getClient } from '../lib/api/client'
import { errorMessage } from '../lib/api/error-message'
import { useAppStore } from './store'

/**
 * User actions that change the host. None of them edits the store's host state: the events they
 * cause do. Failures become a notice (except opening a folder, whose dialog shows its own error).
 */
const notify = (message: string): void => useAppStore.getState().notify(message)

/**
 * Ask where the new session works (the New session dialog creates it, see createSessionIn);
 * `place` preselects a choice there (when the folder allows it) instead of the workspace's last.
 */
export function createSession(workspaceId: string, place?: SessionPlace, draft?: string): void {
  useAppStore.getState().showNewSession(workspaceId, place, draft)
}

/**
 * Create a session as the New session dialog says, and open its tab, its composer holding `draft`
 * when one is given (kept before the tab opens, so the composer starts with it). Throws: the
 * dialog shows why.
 */
export async function createSessionIn(
  input: MethodInput<'sessions.create'>,
  draft?: string,
): Promise<void> {
  const session = await getClient().call('sessions.create', input)
  if (draft) saveDraft(session.id, draft)
  useAppStore.getState().openTab(session.id)
  if (session.worktree) void refreshRadar()
}

/** Ask the host for the collision radar's report now (it throttles) and keep it. */
export async function refreshRadar(): Promise<void> {
  try {
    useAppStore.getState().setRadar(await getClient().call('worktrees.radar', {}))
  } catch {
    // The radar is a hint: when it cannot answer, the badges stay as they were.
  }
}

export async function renameSession(sessionId: string, title: string): Promise<void> {
  try {
    await getClient().call('sessions.rename', { sessionId, title })
  } catch (err) {
    notify(`Could not rename the session: ${errorMessage(err)}`)
  }
}

/** `force`: a worktree session's uncommitted work and unpushed commits go too (saved for 30 days). */
export async function deleteSession(sessionId: string, force?: boolean): Promise<void> {
  try {
    await getClient().call('sessions.delete', { sessionId, ...(force ? { force } : {}) })
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
