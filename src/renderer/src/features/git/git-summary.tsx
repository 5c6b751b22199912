import type { JSX } from 'react'
import type { ChangedFile, GitStatus, SetupState } from '../../../../shared/contract'
import { BranchIcon } from './branch-icon'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** Where the branch stands: name, base, ahead/behind, what changed, what blocks a merge. */
export function GitSummary({
  status,
  setup,
}: {
  status: GitStatus
  setup: SetupState | null
}): JSX.Element {
  const blocking = status.baseCheckout?.dirty ?? []
  return (
    <div className="git-summary">
      <p className="git-branch">
        <BranchIcon />
        <strong>{status.branch}</strong>
        <span className="muted"> merges into </span>
        <strong>{status.base}</strong>
      </p>
      <p className="git-counts" aria-label="Commits ahead and behind">
        <span>{plural(status.ahead, 'commit')} ahead</span>
        <span>{status.behind} behind</span>
        <span>{plural(status.changed.length, 'file')} changed vs base</span>
      </p>
      {setup && <SetupLine setup={setup} />}
      {status.inProgress && (
        <div className="git-alert" role="status">
          <p>
            A {status.inProgress} is in progress in the worktree
            {status.conflicted.length > 0 ? '; conflicted files:' : '.'}
          </p>
          <FileList files={status.conflicted.map((path) => ({ status: 'U', path }))} />
        </div>
      )}
      <section aria-label="Uncommitted files" className="git-section">
        <h3>{plural(status.uncommitted.length, 'uncommitted file')}</h3>
        {status.uncommitted.length > 0 && <FileList files={status.uncommitted} />}
      </section>
      {blocking.length > 0 && (
        <section aria-label="Blocking files in the base checkout" className="git-section">
          <h3>The base checkout has uncommitted changes</h3>
          <p className="muted">
            In {status.baseCheckout?.path}: a merge that touches them is refused.
          </p>
          <FileList files={blocking.map((path) => ({ status: 'M', path }))} />
        </section>
      )}
    </div>
  )
}

function SetupLine({ setup }: { setup: SetupState }): JSX.Element {
  const label = {
    running: 'Setup running',
    succeeded: 'Setup done',
    failed: 'Setup failed',
    skipped: 'Setup not run',
  }
  return (
    <p className={`git-setup is-${setup.state}`} role="status">
      <strong>{label[setup.state]}</strong> <code>{setup.command}</code>
      {setup.message ? ` — ${setup.message}` : ''}
    </p>
  )
}

export function FileList({
  files,
  max = 50,
}: {
  files: ReadonlyArray<Pick<ChangedFile, 'status' | 'path'>>
  max?: number
}): JSX.Element {
  return (
    <ul className="git-files">
      {files.slice(0, max).map((f) => (
        <li key={f.path}>
          <code className="file-status">{f.status.trim() || '?'}</code>
          <span className="git-path" title={f.path}>
            {f.path}
          </span>
        </li>
      ))}
      {files.length > max && <li className="muted">+{files.length - max} more</li>}
    </ul>
  )
}
