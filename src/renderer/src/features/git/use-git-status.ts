import { useCallback, useEffect, useState } from 'react'
import type { GitStatus } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { refreshRadar } from '../../app/commands'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** How often the radar is asked while the Git area shows and a worktree session runs (ms). */
const RADAR_POLL_MS = 5_000

/**
 * A worktree session's `git.status`, fetched when the Git area opens, when the session's run ends,
 * when the window gets the focus back, after a resync, and on `refresh()` (after each action).
 */
export function useGitStatus(sessionId: string): {
  status: GitStatus | null
  error: string | null
  refresh: () => void
} {
  const [status, setStatus] = useState<GitStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** Bumped to read the status again (after an action, on focus). */
  const [ticks, setTicks] = useState(0)
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const resyncs = useAppStore((s) => s.resyncs)
  const refresh = useCallback(() => setTicks((t) => t + 1), [])

  // Opening, a resync, each start and end of a run (`running` in the deps), each refresh.
  useEffect(() => {
    let live = true
    getClient()
      .call('git.status', { sessionId })
      .then(
        (next) => {
          if (!live) return
          setStatus(next)
          setError(null)
        },
        (err: unknown) => live && setError(errorMessage(err)),
      )
    return () => {
      live = false
    }
  }, [sessionId, running, resyncs, ticks])

  useEffect(() => {
    window.addEventListener('focus', refresh)
    return () => window.removeEventListener('focus', refresh)
  }, [refresh])

  return { status, error, refresh }
}

/** While the Git area shows: ask for the radar every 5 s as long as a worktree session runs. */
export function useRadarPoll(): void {
  const anyRunning = useAppStore((s) =>
    Object.values(s.host.sessions).some((x) => x.worktree && s.live[x.id]?.running),
  )
  useEffect(() => {
    void refreshRadar()
    if (!anyRunning) return
    const timer = setInterval(() => void refreshRadar(), RADAR_POLL_MS)
    return () => clearInterval(timer)
  }, [anyRunning])
}

/** One action at a time: which runs, and what the last one said went wrong. */
export function useGitAction(after: () => void): {
  busy: string | null
  error: string | null
  run: <T>(name: string, action: () => Promise<T>) => Promise<T | null>
  clearError: () => void
} {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(
    async <T>(name: string, action: () => Promise<T>): Promise<T | null> => {
      setBusy(name)
      setError(null)
      try {
        return await action()
      } catch (err) {
        setError(`${name} failed: ${errorMessage(err)}`)
        return null
      } finally {
        setBusy(null)
        after()
        void refreshRadar()
      }
    },
    [after],
  )
  return { busy, error, run, clearError: () => setError(null) }
}
