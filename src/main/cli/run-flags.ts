import { ContextWindowSchema, FallbackModelsSchema } from '../../shared/contract/sessions'
import { MAX_FALLBACKS } from '../../shared/contract/settings'
import { HOST_PROVIDER, splitRef } from '../providers/provider-config'
import type { SandboxMode } from '../sandbox/policy'

/** A `paddock run` command line that cannot run: exit 2, with what to change. */
export class RunUsageError extends Error {}

/**
 * `--fallback-model ID`, repeatable, trimmed: at most three, none twice, never the run's own
 * `--model`; with saved providers, each `<provider>/<model>` (given by address, a model at the
 * same address, checked as the engine will name it, `env/<model>`).
 */
export function fallbackFlags(values: string[], saved: boolean, model?: string): string[] {
  if (values.length > MAX_FALLBACKS) {
    throw new RunUsageError(
      `--fallback-model: at most ${MAX_FALLBACKS} fallback models (${values.length} given)`,
    )
  }
  const names: string[] = []
  for (const value of values.map((v) => v.trim())) {
    if (!value) throw new RunUsageError('--fallback-model needs a model id')
    if (saved && !value.includes('/')) {
      throw new RunUsageError(
        `--fallback-model ${value}: name a saved provider's model as <provider>/<model> (paddock providers list), or give --base-url`,
      )
    }
    const parsed = FallbackModelsSchema.safeParse([saved ? value : `${HOST_PROVIDER}/${value}`])
    if (!parsed.success) {
      throw new RunUsageError(
        `--fallback-model ${value}: ${parsed.error.issues[0]?.message ?? 'not a model id'}`,
      )
    }
    if (names.includes(value)) throw new RunUsageError(`--fallback-model ${value}: named twice`)
    if (value === model?.trim()) {
      throw new RunUsageError(
        `--fallback-model ${value}: the run's own model (--model) cannot be its fallback`,
      )
    }
    names.push(value)
  }
  return names
}

/**
 * The fallbacks of a run on saved providers, checked before a session exists: each names a saved
 * provider, and none is the model the run uses (`ref`, its `--model` or the default).
 */
export function assertSavedFallbacks(
  fallbacks: readonly string[],
  providers: ReadonlyArray<{ name: string }>,
  ref: string,
): void {
  for (const fallback of fallbacks) {
    const { provider } = splitRef(fallback)
    if (!providers.some((p) => p.name === provider)) {
      throw new RunUsageError(
        `--fallback-model ${fallback}: no saved provider is named "${provider}" (paddock providers list)`,
      )
    }
    if (fallback === ref) {
      throw new RunUsageError(
        `--fallback-model ${fallback}: the run's own model cannot be its fallback`,
      )
    }
  }
}

/**
 * `--context-window N`: a whole number of tokens (`128000`, `128_000` or `128,000`), within what
 * the contract accepts; anything else is a usage error that says what is wanted.
 */
export function windowFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const digits = value.trim().replace(/[_,]/g, '')
  const parsed = ContextWindowSchema.safeParse(/^\d+$/.test(digits) ? Number(digits) : NaN)
  if (!parsed.success) {
    const why = /^\d+$/.test(digits)
      ? (parsed.error.issues[0]?.message ?? 'invalid')
      : 'it must be a whole number of tokens'
    throw new RunUsageError(`--context-window ${value}: ${why} (e.g. --context-window 131072)`)
  }
  return parsed.data
}

export function positiveNumber(
  value: string | undefined,
  flag: string,
  integer: boolean,
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new RunUsageError(`${flag} must be a positive ${integer ? 'integer' : 'number'}`)
  }
  return n
}

/** `--sandbox off|workspace-write`; choosing off is the user's agreement to run unconfined. */
export function sandboxFlag(value: string | undefined): SandboxMode | undefined {
  if (value === undefined) return undefined
  if (value === 'off' || value === 'workspace-write') return value
  throw new RunUsageError(`--sandbox must be off or workspace-write (got ${value})`)
}
