import { useCallback, useEffect, useRef, useState } from 'react'
import type { DeletedSession, MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type WorktreeRow = MethodOutput<'worktrees.list'>[number]

export interface WorktreesData {
  /** Every worktree Paddock made, in every workspace; null until the first answer. */
  worktrees: WorktreeRow[] | null
  /** Sessions deleted in the last 30 days, newest first; null until the first answer. */
  deleted: DeletedSession[] | null
  /** Why the last read failed (the lists keep their last answer). */
  error: string | null
  /** Read both lists again (after an action, or on the user's Refresh). */
  reload(): Promise<void>
}

/**
 * The worktrees and the deleted sessions, read from the host when the section opens and again
 * after every action; an answer to an older read that arrives late is dropped.
 */
export function useWorktrees(): WorktreesData {
  const [worktrees, setWorktrees] = useState<WorktreeRow[] | null>(null)
  const [deleted, setDeleted] = useState<DeletedSession[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const generation = useRef(0)

  /** Read both lists; the answer applies only if no later read started meanwhile. */
  const read = useCallback((): Promise<void> => {
    const mine = ++generation.current
    const client = getClient()
    return Promise.all([
      client.call('worktrees.list', {}),
      client.call('worktrees.deleted', {}),
    ]).then(
      ([list, gone]) => {
        if (mine !== generation.current) return
        setWorktrees(list)
        setDeleted(gone)
        setError(null)
      },
      (err: unknown) => {
        if (mine === generation.current) setError(errorMessage(err))
      },
    )
  }, [])

  useEffect(() => {
    read().catch(() => undefined)
  }, [read])

  return { worktrees, deleted, error, reload: read }
}
