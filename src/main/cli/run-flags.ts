import { ContextWindowSchema } from '../../shared/contract/sessions'
import { MAX_FALLBACKS } from '../../shared/contract/settings'

/** A `paddock run` command line that cannot run: exit 2, with what to change. */
export class RunUsageError extends Error {}

/**
 * `--fallback-model ID`, repeatable: at most three; with saved providers, each `<provider>/<model>`
 * (given by address, a model at the same address).
 */
export function fallbackFlags(values: string[], saved: boolean): string[] {
  if (values.length > MAX_FALLBACKS) {
    throw new RunUsageError(
      `--fallback-model: at most ${MAX_FALLBACKS} fallback models (${values.length} given)`,
    )
  }
  for (const value of values) {
    if (!value.trim()) throw new RunUsageError('--fallback-model needs a model id')
    if (saved && !value.includes('/')) {
      throw new RunUsageError(
        `--fallback-model ${value}: name a saved provider's model as <provider>/<model> (paddock providers list), or give --base-url`,
      )
    }
  }
  return values
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
