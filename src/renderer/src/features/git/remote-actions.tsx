import { useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { reveal } from './reveal'
import { ExternalLink } from '../../lib/ui/external-link'

type PullRequest = MethodOutput<'git.pullRequest'>

/** Push the branch, and open a pull request (through `gh`, else the compare URL and why). */
export function RemoteActions({
  sessionId,
  remote,
  disabled,
  busy,
  run,
}: {
  sessionId: string
  remote: string | null
  disabled: boolean
  busy: string | null
  run: <T>(name: string, action: () => Promise<T>) => Promise<T | null>
}): JSX.Element {
  const [pushed, setPushed] = useState<string | null>(null)
  const [pr, setPr] = useState<PullRequest | null>(null)
  const off = disabled || busy !== null

  const push = async (): Promise<void> => {
    setPushed(null)
    const r = await run('Push', () => getClient().call('git.push', { sessionId }))
    if (r) setPushed(`Pushed ${r.branch} to ${r.remote}.`)
  }
  const openPr = async (): Promise<void> => {
    setPr(null)
    const r = await run('Pull request', () => getClient().call('git.pullRequest', { sessionId }))
    if (r) setPr(r)
  }

  return (
    <section aria-label="Share" className="git-box">
      <div className="git-box-actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={off || remote === null}
          title={remote === null ? 'The repository has no remote' : `Push to ${remote}`}
          onClick={() => void push()}
        >
          {busy === 'Push' ? 'Pushing…' : 'Push'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={off}
          onClick={() => void openPr()}
        >
          {busy === 'Pull request' ? 'Opening…' : 'Open pull request'}
        </button>
      </div>
      {remote === null && <p className="muted">No remote: push and pull requests need one.</p>}
      {pushed && (
        <p ref={reveal} className="git-ok" role="status">
          {pushed}
        </p>
      )}
      {pr?.via === 'gh' && (
        <p ref={reveal} className="git-ok" role="status">
          Pull request: <ExternalLink url={pr.url}>{pr.url}</ExternalLink>
        </p>
      )}
      {pr?.via === 'url' && (
        <div ref={reveal} className="git-note" role="status">
          <p>{pr.reason}</p>
          {pr.url && (
            <p>
              <ExternalLink url={pr.url}>Open the compare page</ExternalLink>
            </p>
          )}
        </div>
      )}
    </section>
  )
}
