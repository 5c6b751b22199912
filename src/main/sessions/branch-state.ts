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

/** Tokens the last model call's prompt took (what the next request starts from). */
export function lastPromptTokens(branch: readonly Entry[]): number {
  for (let i = branch.length - 1; i >= 0; i--) {
    const u = payloadOf(branch[i]!, 'assistant_message')?.usage
    if (u) return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens
  }
  return 0
}
