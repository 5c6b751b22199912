import { useState } from 'react'
import type { Session } from '../../../../shared/model'
import type { WorktreeLosses } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { deleteSession } from '../commands'
import { useAppStore } from '../store'

export type DeleteStep =
  | { kind: 'idle' }
  | { kind: 'checking' }
  /** Nothing would be lost (or a session in place): the inline confirmation. */
  | { kind: 'confirm' }
  /** A worktree session with work nowhere else: the dialog that lists it. */
  | { kind: 'refuse'; losses: WorktreeLosses }

/**
 * Deleting a session: a worktree session is checked first (`worktrees.deleteCheck`); when it
 * would lose work the refusal dialog lists it, else (and for sessions in place) the inline
 * confirmation asks as before.
 */
export function useDeleteFlow(session: Session): {
  step: DeleteStep
  start: () => void
  cancel: () => void
  confirm: () => void
} {
  const [step, setStep] = useState<DeleteStep>({ kind: 'idle' })
  const start = (): void => {
    if (!session.worktree || session.worktree.missing) {
      setStep({ kind: 'confirm' })
      return
    }
    setStep({ kind: 'checking' })
    getClient()
      .call('worktrees.deleteCheck', { sessionId: session.id })
      .then(
        (r) => setStep(r.losesWork ? { kind: 'refuse', losses: r.losses } : { kind: 'confirm' }),
        (err: unknown) => {
          setStep({ kind: 'idle' })
          useAppStore
            .getState()
            .notify(`Could not check what deleting would lose: ${errorMessage(err)}`)
        },
      )
  }
  const confirm = (): void => {
    const force = step.kind === 'refuse'
    setStep({ kind: 'idle' })
    void deleteSession(session.id, force)
  }
  return { step, start, cancel: () => setStep({ kind: 'idle' }), confirm }
}
