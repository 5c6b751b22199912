import type { Logger } from '../core/logger'
import type { Handlers } from '../host/dispatcher'
import type { Store } from '../sessions/store'
import type { FileIndex } from './file-index'
import { listDirs, resolveWorkspacePath, workspaceName } from './paths'

type WorkspaceMethod =
  | 'fs.listDirs'
  | 'workspaces.list'
  | 'workspaces.open'
  | 'workspaces.trust'
  | 'workspaces.close'
  | 'workspaces.files'

export interface WorkspaceHandlerDeps {
  store: Store
  fileIndex: FileIndex
  logger: Logger
  /** The user's home folder: where the folder picker starts and what `~` means. */
  home: string
}

/** The contract's methods over the folder picker, the workspace list and a workspace's files. */
export function workspaceHandlers(deps: WorkspaceHandlerDeps): Pick<Handlers, WorkspaceMethod> {
  const { store, home } = deps
  return {
    'fs.listDirs': ({ path, showHidden }) => listDirs(path, home, showHidden ?? false),
    'workspaces.list': () => store.listWorkspaces(),
    'workspaces.open': async ({ path }) => {
      const real = await resolveWorkspacePath(path, home)
      const ws = store.openWorkspace(real, workspaceName(real))
      deps.logger.log('info', 'workspace opened', { path: real, id: ws.id })
      return ws
    },
    'workspaces.trust': ({ workspaceId, trusted }) => store.setTrusted(workspaceId, trusted),
    'workspaces.close': ({ workspaceId }) => {
      store.closeWorkspace(workspaceId)
      return { workspaceId }
    },
    'workspaces.files': ({ workspaceId, sessionId, query, limit }) => {
      const root = sessionId
        ? store.sessionRoot(sessionId).path
        : store.getWorkspace(workspaceId).path
      return deps.fileIndex.search(root, query, limit ?? 50)
    },
  }
}
