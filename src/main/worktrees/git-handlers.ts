/**
 * The contract's `git.*` methods: a worktree session's way home (see `flow-*.ts` for the git
 * side). A merge's conflict or refusal is an answer (`MergeResult`), not an error: the Git area
 * shows the files and offers "Ask the agent to resolve".
 */
import { basename, resolve } from 'node:path'
import type { MethodOutput, SetupState } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Logger } from '../core/logger'
import { isWithin } from '../core/within'
import type { Handlers } from '../host/dispatcher'
import type { Store } from '../sessions/store'
import type { StoredWorktree } from '../sessions/stored-worktree'
import { asContractError, contractErrors } from './contract-errors'
import { FilesError, MergeConflictError, WorktreeError } from './errors'
import { commitAll, discardChanges } from './flow-commit'
import { gitExit, gitMaybe } from './git'
import { isSecretFileName } from '../core/secret-files'
import { diffAgainstBase } from './flow-diff'
import { mergeIntoBase, resolveByRebase } from './flow-merge'
import { openPullRequest, push } from './flow-publish'
import { dirtyFiles, gitStatus } from './flow-status'
import type { FlowTarget } from './flow-status'
import type { SessionWorktrees } from './session-worktrees'

type GitMethod =
  | 'git.status'
  | 'git.commit'
  | 'git.draftMessage'
  | 'git.merge'
  | 'git.resolve'
  | 'git.push'
  | 'git.pullRequest'
  | 'git.discard'
  | 'git.baseDiff'
  | 'git.baseFile'

export interface GitHandlerDeps {
  store: Store
  sessions: SessionWorktrees
  logger: Logger
  isRunning: (sessionId: string) => boolean
  setupState: (sessionId: string) => SetupState | null
  /** Send the agent a prompt (starts a run). */
  prompt: (sessionId: string, text: string) => Promise<void>
  /** A commit message for `diff` (the staged-to-be changes), drafted by the session's model. */
  draft: (sessionId: string, diff: string) => Promise<string>
  /** Compare the sessions again (a merge changed the base). */
  refreshRadar: () => void
  gitBin?: string
  ghBin?: string
}

/** Characters of diff a draft request carries at most. */
const DRAFT_DIFF_CHARS = 24_000

export function gitHandlers(deps: GitHandlerDeps): Pick<Handlers, GitMethod> {
  const { store, sessions } = deps
  const bin = deps.gitBin ? { gitBin: deps.gitBin } : {}

  /** The session's worktree, or why the git flow is not for it. */
  const worktree = (sessionId: string): StoredWorktree => {
    const session = store.getSession(sessionId)
    const wt = sessions.worktreeOf(sessionId)
    if (!wt)
      throw new ContractError(
        'invalid_params',
        `"${session.title}" works in the folder itself, not in a worktree of its own.`,
      )
    store.sessionRoot(sessionId) // refuses a worktree whose folder is gone
    return wt
  }
  const target = (wt: StoredWorktree): FlowTarget => ({
    worktreePath: wt.path,
    branch: wt.branch,
    base: wt.base,
    repoRoot: wt.repoRoot,
    ...bin,
  })
  const idle = (sessionId: string, what: string): void => {
    if (deps.isRunning(sessionId))
      throw new ContractError(
        'session_busy',
        `The agent is running: stop it or let it finish before you ${what}.`,
      )
  }

  return {
    'git.status': ({ sessionId }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        const s = await gitStatus(target(wt))
        const remote = await remoteOf(wt)
        return {
          branch: s.branch,
          base: s.base,
          ahead: s.ahead,
          behind: s.behind,
          uncommitted: s.uncommitted,
          changed: s.changed,
          baseCheckout: s.baseCheckout
            ? { path: s.baseCheckout.path, dirty: s.baseCheckout.blocking }
            : null,
          inProgress: s.inProgress === 'rebase' || s.inProgress === 'merge' ? s.inProgress : null,
          conflicted: s.conflicted,
          remote,
          setup: deps.setupState(sessionId),
        }
      }),
    'git.commit': ({ sessionId, message }) =>
      contractErrors(async () => {
        idle(sessionId, 'commit')
        const wt = worktree(sessionId)
        const c = await commitAll({ worktreePath: wt.path, message, ...bin })
        deps.refreshRadar()
        return { commit: c.sha, subject: c.subject }
      }),
    'git.draftMessage': ({ sessionId }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        // What the commit would hold, read without touching the worktree's index: the tracked
        // changes as a diff, untracked files by name. Files named like secrets are left out of
        // what the model is sent.
        const dirty = (await dirtyFiles(wt.path, deps.gitBin)).filter(
          (f) => !isSecretFileName(basename(f.path)),
        )
        if (dirty.length === 0)
          throw new ContractError('invalid_params', 'Nothing to commit: the worktree is clean.')
        const tracked = dirty.filter((f) => f.status !== '??').map((f) => f.path)
        const opts = { cwd: wt.path, bin: deps.gitBin }
        const stat = tracked.length
          ? (await gitExit(['diff', 'HEAD', '--stat', '--', ...tracked], opts)).stdout
          : ''
        const full = tracked.length
          ? (await gitExit(['diff', 'HEAD', '--', ...tracked], opts)).stdout
          : ''
        const added = dirty.filter((f) => f.status === '??').map((f) => `new file: ${f.path}`)
        const diff = [stat, added.join('\n'), full.slice(0, DRAFT_DIFF_CHARS)]
          .filter((part) => part !== '')
          .join('\n\n')
        return { message: await deps.draft(sessionId, diff) }
      }),
    'git.merge': async ({ sessionId, squash, message }) => {
      idle(sessionId, 'merge')
      const wt = worktree(sessionId)
      const title = store.getSession(sessionId).title
      try {
        const m = await mergeIntoBase({
          ...target(wt),
          ...(squash ? { squash } : {}),
          ...(message ? { message } : {}),
          title,
        })
        deps.refreshRadar()
        const mode = m.kind === 'merge' ? 'merge-commit' : m.kind
        return { outcome: 'merged', mode, commit: m.sha } as MethodOutput<'git.merge'>
      } catch (error) {
        if (error instanceof MergeConflictError)
          return { outcome: 'conflict', files: error.files, message: error.message }
        if (error instanceof FilesError)
          return { outcome: 'refused', reason: error.message, files: error.files }
        if (error instanceof WorktreeError && error.code === 'base-not-checked-out')
          return { outcome: 'refused', reason: error.message, files: [] }
        throw asContractError(error)
      }
    },
    'git.resolve': ({ sessionId }) =>
      contractErrors(async () => {
        idle(sessionId, 'rebase')
        const wt = worktree(sessionId)
        const r = await resolveByRebase({ worktreePath: wt.path, base: wt.base, ...bin })
        if (r.rebased) return { rebased: true, files: [], prompted: false }
        try {
          await deps.prompt(sessionId, r.agentMessage)
        } catch (error) {
          // The rebase stays in progress for the agent (or the user) to finish: say so.
          const why = error instanceof Error ? error.message : String(error)
          throw new ContractError(
            error instanceof ContractError ? error.code : 'internal',
            `The rebase onto ${wt.base} stopped on conflicts in ${r.conflicts.join(', ')} and is left in progress in the worktree, but the agent could not be told: ${why}`,
          )
        }
        return { rebased: false, files: r.conflicts, prompted: true }
      }),
    'git.push': ({ sessionId }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        const p = await push({ worktreePath: wt.path, branch: wt.branch, ...bin })
        return { remote: p.remote, branch: p.branch }
      }),
    'git.pullRequest': ({ sessionId, title, body }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        const pr = await openPullRequest({
          worktreePath: wt.path,
          branch: wt.branch,
          base: wt.base,
          title: title ?? store.getSession(sessionId).title,
          ...(body !== undefined ? { body } : {}),
          ...bin,
          ...(deps.ghBin ? { ghBin: deps.ghBin } : {}),
        })
        if (pr.via === 'gh') return { via: 'gh' as const, url: pr.url }
        const reason = [
          pr.urlReason,
          pr.pushError ? `The push failed: ${pr.pushError}` : null,
          pr.install,
        ]
          .filter((x): x is string => typeof x === 'string' && x !== '')
          .join(' ')
        return { via: 'url' as const, url: pr.url, reason }
      }),
    'git.discard': ({ sessionId }) =>
      contractErrors(async () => {
        idle(sessionId, 'discard its changes')
        const wt = worktree(sessionId)
        const d = await discardChanges({ worktreePath: wt.path, ...bin })
        deps.refreshRadar()
        return { files: d.discarded.map((f) => f.path) }
      }),
    'git.baseDiff': ({ sessionId }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        const d = await diffAgainstBase(target(wt))
        return { base: wt.base, mergeBase: d.mergeBase, files: d.files }
      }),
    'git.baseFile': ({ sessionId, path }) =>
      contractErrors(async () => {
        const wt = worktree(sessionId)
        if (!isWithin(wt.path, resolve(wt.path, path)) || path.split(/[\\/]/).includes('.git'))
          throw new ContractError('invalid_params', `${path} is outside the session's worktree.`)
        const f = (await diffAgainstBase(target(wt), path)).file
        const shown = (text: string | null | undefined): string | null =>
          f?.binary ? null : (text ?? null)
        return {
          path,
          base: shown(f?.base),
          current: shown(f?.current),
          binary: f?.binary ?? false,
          tooLarge: f?.tooLarge ?? false,
        }
      }),
  }

  async function remoteOf(wt: StoredWorktree): Promise<string | null> {
    const out = await gitMaybe(['remote'], { cwd: wt.path, bin: deps.gitBin })
    const remotes = (out ?? '').split('\n').filter((r) => r !== '')
    return remotes.includes('origin') ? 'origin' : (remotes[0] ?? null)
  }
}
