import type { StartFakeLlmOptions } from './types'

/** The window a request to `model` must fit (see `StartFakeLlmOptions.contextWindow`). */
export function windowOf(
  option: StartFakeLlmOptions['contextWindow'],
  model: string,
): number | undefined {
  return typeof option === 'function' ? option(model) : option
}
