import type { FallbackCause, ModelSwitch } from './entries'

/** A fallback's cause as a person reads it. */
const CAUSES: Record<FallbackCause, string> = {
  quota: 'quota',
  overloaded: 'overloaded',
  model_not_found: 'model not found',
}

/**
 * Why a session changed model, in a few words beside the model (the transcript, `paddock run`):
 * "fallback: quota on work/big", "back from work/small" (its cooldown over, or the fallback not
 * offered by the process that runs it). Null for the user's own choice, which needs none.
 */
export function modelSwitchNote(change: ModelSwitch): string | null {
  if (change.reason === 'fallback') {
    const cause = change.failure ? CAUSES[change.failure.kind] : 'failed'
    return `fallback: ${cause} on ${change.from ?? 'the previous model'}`
  }
  if (change.reason === 'return') {
    return `back from ${change.from ?? 'the fallback'}`
  }
  return null
}
