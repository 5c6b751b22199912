import { useMemo } from 'react'
import type { JSX } from 'react'
import { payloadOf } from '../../../../shared/entries'
import type { UnprotectedRun } from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'
import { AlertIcon } from '../../lib/ui/icons'

/** Why a run took no checkpoints, in the past tense, from its `unprotected_run` record. */
export function unprotectedReason(run: UnprotectedRun): string {
  const { holder } = run
  if (run.code === 'store_busy' && holder) {
    const who = holder.name
      ? `${holder.name} (pid ${holder.pid} on ${holder.host})`
      : `process ${holder.pid} on ${holder.host}`
    return `${who} held this workspace's checkpoint store and did not take them in time.`
  }
  return run.message.replace(/^No checkpoints for this run: /, '')
}

/**
 * A banner over the conversation when a run of the session changed files without checkpoints
 * (another process held the workspace's checkpoint store and did not take them for it, or the
 * store could not be opened): its steps cannot be rewound, nor its changes reviewed here.
 */
export function UnprotectedBanner({ entries }: { entries: readonly Entry[] }): JSX.Element | null {
  const run = useMemo(() => {
    for (let i = entries.length - 1; i >= 0; i--) {
      const p = payloadOf(entries[i]!, 'unprotected_run')
      if (p) return p
    }
    return null
  }, [entries])
  if (!run) return null
  return (
    <div className="unprotected-banner" role="note" aria-label="Ran without checkpoints">
      <AlertIcon />
      <p>
        <strong>This session ran without checkpoints:</strong> {unprotectedReason(run)} What it
        changed cannot be rewound or reviewed here. Close that process before its next run, or run
        it in the Paddock that holds the store.
      </p>
    </div>
  )
}
