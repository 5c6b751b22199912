import { z } from 'zod'
import { ModelSwitchPayload, UsageSchema } from '../../shared/entries'
import type { Entry } from '../../shared/model'

/** The model ref the session last switched to on its branch; null when it never picked one. */
export function sessionModel(branch: readonly Entry[]): string | null {
  for (let i = branch.length - 1; i >= 0; i--) {
    const e = branch[i]!
    if (e.type !== 'model_switch') continue
    const p = ModelSwitchPayload.safeParse(e.payload)
    if (p.success) return p.data.ref
  }
  return null
}

/** Only the usage of an assistant message (older entries may lack other fields). */
const WithUsage = z.object({ usage: UsageSchema })

/** Tokens the last model call's prompt took (what the next request starts from). */
export function lastPromptTokens(branch: readonly Entry[]): number {
  for (let i = branch.length - 1; i >= 0; i--) {
    const e = branch[i]!
    if (e.type !== 'assistant_message') continue
    const p = WithUsage.safeParse(e.payload)
    const u = p.success ? p.data.usage : undefined
    if (!u) continue
    return u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.outputTokens
  }
  return 0
}
