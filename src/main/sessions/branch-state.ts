import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'

/** The model ref the session last switched to on its branch; null when it never picked one. */
export function sessionModel(branch: readonly Entry[]): string | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const p = payloadOf(branch[i]!, 'model_switch')
    if (p) return p.ref
  }
  return null
}
