import { useEffect } from 'react'
import { refreshRadar } from './commands'
import { useAppStore } from './store'

/**
 * The collision radar's report is live-only (not in the snapshot): ask for it once a worktree
 * session is known (at boot, or when the first is created) and after each resync; the host
 * stream's `worktrees.radar` events keep it current from there.
 */
export function useRadarBoot(): void {
  const hasWorktree = useAppStore((s) =>
    Object.values(s.host.sessions).some((x) => x.worktree !== null),
  )
  const resyncs = useAppStore((s) => s.resyncs)
  useEffect(() => {
    if (hasWorktree) void refreshRadar()
  }, [hasWorktree, resyncs])
}
