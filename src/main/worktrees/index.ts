/** The worktree core of issue 20: create, inspect, delete and restore a session's git worktree. */
export { WorktreeError, WouldLoseWorkError } from './errors'
export type { DirtyFile, Losses, UnpushedCommit, WorktreeErrorCode } from './errors'
export { repoInfo } from './git'
export {
  slugify,
  uniqueSlug,
  branchFor,
  worktreesRoot,
  worktreeDir,
  DELETED_REF_PREFIX,
} from './worktree-paths'
export { readWorktreeConfig, copyIgnoredFiles, WorktreeConfigSchema } from './copy-files'
export type { WorktreeConfig } from './copy-files'
export { createWorktree, recoverWorktrees } from './create'
export type { CreateWorktreeInput, CreatedWorktree, Recovered } from './create'
export { deleteCheck, losesWork } from './safety'
export { deleteWorktree, restoreDeleted } from './delete'
export type { DeleteWorktreeInput, DeletedWorktree, RestoreDeletedInput } from './delete'
export { listDeleted, expireDeleted } from './deleted-store'
export type { DeletedSave } from './deleted-store'
export { listWorktrees, pruneWorktrees, worktreeEntries } from './list'
export type { WorktreeEntry, WorktreeListing } from './list'
