/** The worktree core: create, inspect, delete and restore a session's git worktree. */
export {
  WorktreeError,
  WouldLoseWorkError,
  GitOutputError,
  FilesError,
  MergeConflictError,
} from './errors'
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
// Bringing work home: the Git area, commit, merge, rebase, push, pull request, discard.
export { gitStatus, parseNameStatusZ } from './flow-status'
export type { FlowTarget, FlowStatus, ChangedFile, BaseCheckout, InProgress } from './flow-status'
export { diffAgainstBase } from './flow-diff'
export type { DiffAgainstBase, FileAgainstBase } from './flow-diff'
export { commitAll, discardChanges } from './flow-commit'
export type { CommitAllInput, Committed } from './flow-commit'
export { mergeIntoBase, resolveByRebase, rebaseAgentMessage } from './flow-merge'
export type { MergeInput, Merged, Rebased } from './flow-merge'
export { push, openPullRequest, GH_INSTALL, GH_SIGN_IN } from './flow-publish'
export type { PushInput, Pushed, PullRequestInput, PullRequest } from './flow-publish'
export { parseRemoteUrl, githubCompareUrl } from './flow-remote'
export type { RemoteLocation, CompareUrl } from './flow-remote'
