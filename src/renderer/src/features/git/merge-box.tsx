import { useState } from 'react'
import type { JSX } from 'react'
import type { MergeResult } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { reveal } from './reveal'
import { FileList } from './git-summary'

const MODE_WORDS: Record<string, string> = {
  'up-to-date': 'Already merged: the base had every commit.',
  'fast-forward': 'Merged (fast-forward)',
  'merge-commit': 'Merged with a merge commit',
  squash: 'Squashed into one commit',
}

/**
 * Merge into the base (fast-forward when possible; squash on request). A conflict was aborted by
 * the host and lists its files, with "Ask the agent to resolve"; a refusal says why.
 */
export function MergeBox({
  sessionId,
  base,
  disabled,
  busy,
  run,
}: {
  sessionId: string
  base: string
  disabled: boolean
  busy: string | null
  run: <T>(name: string, action: () => Promise<T>) => Promise<T | null>
}): JSX.Element {
  const [squash, setSquash] = useState(false)
  const [result, setResult] = useState<MergeResult | null>(null)
  const [resolved, setResolved] = useState<string | null>(null)

  const merge = async (): Promise<void> => {
    setResult(null)
    setResolved(null)
    const r = await run('Merge', () =>
      getClient().call('git.merge', { sessionId, ...(squash ? { squash } : {}) }),
    )
    if (r) setResult(r)
  }
  const resolve = async (): Promise<void> => {
    const r = await run('Resolve', () => getClient().call('git.resolve', { sessionId }))
    if (!r) return
    setResult(null)
    setResolved(
      r.prompted
        ? `The agent was asked to resolve ${r.files.length} conflicted file(s) in the worktree.`
        : r.rebased
          ? `Rebased onto ${base} without conflicts: merge again.`
          : 'Nothing to resolve.',
    )
  }

  return (
    <section aria-label="Merge" className="git-box">
      <div className="git-box-actions">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={disabled || busy !== null}
          onClick={() => void merge()}
        >
          {busy === 'Merge' ? 'Merging…' : `Merge into ${base}`}
        </button>
        <label className="git-check">
          <input
            type="checkbox"
            checked={squash}
            disabled={disabled}
            onChange={(e) => setSquash(e.target.checked)}
          />
          Squash
        </label>
      </div>
      {result?.outcome === 'merged' && (
        <p ref={reveal} className="git-ok" role="status">
          {MODE_WORDS[result.mode] ?? 'Merged'}
          {result.mode === 'up-to-date' ? '' : ` into ${base} (${result.commit.slice(0, 7)}).`}
        </p>
      )}
      {result?.outcome === 'conflict' && (
        <div ref={reveal} className="git-alert" role="alert">
          <p>The merge conflicted and was aborted; {base} is as it was. Conflicting files:</p>
          <FileList files={result.files.map((path) => ({ status: 'U', path }))} />
          <button
            type="button"
            className="btn btn-small"
            disabled={disabled || busy !== null}
            onClick={() => void resolve()}
          >
            {busy === 'Resolve' ? 'Asking…' : 'Ask the agent to resolve'}
          </button>
        </div>
      )}
      {result?.outcome === 'refused' && (
        <div ref={reveal} className="git-alert" role="alert">
          <p>Not merged: {result.reason}</p>
          {result.files.length > 0 && (
            <FileList files={result.files.map((path) => ({ status: 'M', path }))} />
          )}
        </div>
      )}
      {resolved && (
        <p ref={reveal} className="git-ok" role="status">
          {resolved}
        </p>
      )}
    </section>
  )
}
