import type { FallbackCause, ModelSwitch } from '../../shared/entries'
import { payloadOf } from '../../shared/entries'
import { DEFAULT_FALLBACK_COOLDOWN_MINUTES } from '../../shared/contract/settings'
import type { Entry } from '../../shared/model'
import type { Logger } from '../core/logger'
import { ProviderError } from '../providers/types'
import type { Settings } from '../sessions/settings'

/**
 * The pure side of fallbacks: which failures a run falls back on, where a session stands with its
 * fallbacks as its log says, and the user's settings for them. The walk is `fallback.ts`.
 */

const MODEL_NOT_FOUND =
  /model[^.\n]{0,120}(not found|does not exist|not available)|not a valid model|no such model|unknown model|invalid model/i

/**
 * The failures a run falls back on, once its retries are spent: out of credits or quota (402, a
 * 429 whose text says quota), an overloaded server (503, 529), and a model the provider does not
 * have (404 naming the model, or its words for it). Null for everything else: a bad key, a bad
 * request and a plain rate limit end the run (or are retried) as without fallbacks.
 */
export function fallbackCause(err: unknown): FallbackCause | null {
  if (!(err instanceof ProviderError)) return null
  if (err.kind === 'quota') return 'quota'
  if (err.kind === 'overloaded') return 'overloaded'
  if (err.kind !== 'bad_request') return null
  const notFound = err.status === 404 && /model/i.test(err.message)
  if (notFound || ((err.status === 404 || err.status === 400) && MODEL_NOT_FOUND.test(err.message)))
    return 'model_not_found'
  return null
}

/** Where a session stands with its fallbacks, as its log says. */
export interface FallbackState {
  /** The model the session fell back from. */
  primary: string
  /** The model it runs on now. */
  current: string
  /** When the primary failed: the first fallback switch of the run of them (its `createdAt`). */
  since: number
  /** The window the session had set for the primary before (`--context-window`), if any. */
  primaryWindow?: number
}

/**
 * The fallback a session is on, derived from its branch (so it survives a restart): the last
 * model switch (a window-only one aside) is a `fallback`; the first of the fallbacks in a row names the primary (`from`)
 * and when it failed. Null when the session runs on a model of its own choosing.
 */
export function fallbackState(branch: readonly Entry[]): FallbackState | null {
  let first: { entry: Entry; change: ModelSwitch } | null = null
  let current: string | null = null
  /** The window last set for the model the row of fallbacks started from (the primary's). */
  let window: number | undefined
  for (let i = branch.length - 1; i >= 0; i--) {
    const entry = branch[i]!
    const change = payloadOf(entry, 'model_switch')
    if (!change) continue
    if (change.reason === 'fallback' && change.from !== null) {
      current ??= change.ref
      first = { entry, change }
      window = undefined
      continue
    }
    const primaryWindow = change.ref === first?.change.from ? change.contextWindow : undefined
    // A window set for the model the session is on (`--context-window`, from === ref) changes no
    // model: the session stays where it was, on a fallback too.
    if (change.from === change.ref) {
      window ??= primaryWindow
      continue
    }
    if (!first) return null
    // The switch before the fallbacks: the primary's window, when it set one.
    return state(first, current!, window ?? primaryWindow)
  }
  return first ? state(first, current!, window) : null
}

function state(
  first: { entry: Entry; change: ModelSwitch },
  current: string,
  primaryWindow: number | undefined,
): FallbackState {
  return {
    primary: first.change.from!,
    current,
    since: first.entry.createdAt,
    ...(primaryWindow !== undefined ? { primaryWindow } : {}),
  }
}

/** The user's fallback settings: each model's chain, and the cooldown. */
export interface FallbackSettings {
  chains: Record<string, string[]>
  cooldownMinutes: number
}

/** The stored fallback settings; one that does not read is left at its default (logged). */
export function fallbackSettings(
  settings: Pick<Settings, 'read'>,
  logger: Logger,
): FallbackSettings {
  return {
    chains: settings.read('models.fallbacks', logger, 'no fallbacks') ?? {},
    cooldownMinutes:
      settings.read('models.fallbackCooldownMinutes', logger) ?? DEFAULT_FALLBACK_COOLDOWN_MINUTES,
  }
}
