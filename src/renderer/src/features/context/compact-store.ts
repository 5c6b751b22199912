import { create } from 'zustand'
import type { ErrorCode } from '../../../../shared/errors'
import { ContractError } from '../../../../shared/errors'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/**
 * Compactions the user asked for (`/compact` in the composer, "Compact now" on the gauge), per
 * session: one call at a time, its progress and its error, shared by both places so either shows
 * what the other started. The result itself arrives as a `compaction` entry in the transcript.
 */

export interface CompactFailure {
  code: ErrorCode | null
  message: string
}

interface CompactState {
  /** Sessions with a `sessions.compact` call on its way. */
  pending: Record<string, true>
  /** The last call's failure, per session, until dismissed or the next call. */
  errors: Record<string, CompactFailure>
  /** Sessions whose compaction the user stopped: its failure is no news. */
  stopped: Record<string, true>
  dismiss(sessionId: string): void
  /** The user stopped the session (Stop, Esc): a compaction on its way ends without an error. */
  markStopped(sessionId: string): void
}

export const useCompactStore = create<CompactState>()((set, get) => ({
  pending: {},
  errors: {},
  stopped: {},
  markStopped: (sessionId) => {
    if (get().pending[sessionId]) set({ stopped: { ...get().stopped, [sessionId]: true } })
  },
  dismiss: (sessionId) => {
    if (!(sessionId in get().errors)) return
    const errors = { ...get().errors }
    delete errors[sessionId]
    set({ errors })
  },
}))

/** Longest focus `sessions.compact` takes, in characters (its schema's limit). */
export const FOCUS_MAX_CHARS = 2_000

function settle(sessionId: string, failure: CompactFailure | null): void {
  const { pending, errors, stopped } = useCompactStore.getState()
  const nextPending = { ...pending }
  delete nextPending[sessionId]
  const nextStopped = { ...stopped }
  delete nextStopped[sessionId]
  const nextErrors = { ...errors }
  // Stopped by the user: the host's "aborted" is what they asked for, not a failure.
  if (failure && !stopped[sessionId]) nextErrors[sessionId] = failure
  else delete nextErrors[sessionId]
  useCompactStore.setState({ pending: nextPending, errors: nextErrors, stopped: nextStopped })
}

/**
 * Compact the session now (`sessions.compact`), with `focus` guiding the summary. Resolves true
 * once the compaction is recorded, false when it failed (the store holds the error) or another
 * compaction of the session is still on its way.
 */
export async function compactSession(sessionId: string, focus?: string): Promise<boolean> {
  const state = useCompactStore.getState()
  if (state.pending[sessionId]) return false
  const text = focus?.trim() ?? ''
  if (text.length > FOCUS_MAX_CHARS) {
    settle(sessionId, {
      code: 'invalid_params',
      message: `What to focus on is ${text.length.toLocaleString()} characters; /compact takes at most ${FOCUS_MAX_CHARS.toLocaleString()}.`,
    })
    return false
  }
  const errors = { ...state.errors }
  delete errors[sessionId]
  useCompactStore.setState({ pending: { ...state.pending, [sessionId]: true }, errors })
  try {
    await getClient().call('sessions.compact', { sessionId, ...(text ? { focus: text } : {}) })
    settle(sessionId, null)
    return true
  } catch (err) {
    settle(sessionId, {
      code: err instanceof ContractError ? err.code : null,
      message: errorMessage(err),
    })
    return false
  }
}

/** `/compact [what to focus on]`: the focus ('' for none), or null when the text is not one. */
export function parseCompactCommand(text: string): string | null {
  const match = /^\/compact(?:\s+([\s\S]*))?$/.exec(text.trim())
  return match ? (match[1] ?? '').trim() : null
}
