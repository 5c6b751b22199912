import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import { DEFAULT_CONTEXT_WINDOW } from '../providers/catalog'
import type { ModelLimits } from '../providers/catalog'
import type { ProviderRegistry } from '../providers/registry'

/**
 * The window the user set for model `ref` in this session (`--context-window`): the one the last
 * model switch on the branch recorded, when that switch is to `ref`. A later switch to another
 * model ends it (its own window applies), so an override never leaks to a model it was not for.
 */
export function windowOverride(branch: readonly Entry[], ref: string): number | undefined {
  for (let i = branch.length - 1; i >= 0; i--) {
    const p = payloadOf(branch[i]!, 'model_switch')
    if (p) return p.ref === ref ? p.contextWindow : undefined
  }
  return undefined
}

/**
 * The limits model `ref` runs with in a session: the catalog's, then the user's models.json, then
 * the session's `--context-window` override (max output never above the window).
 */
export function sessionLimits(
  registry: Pick<ProviderRegistry, 'limits'>,
  branch: readonly Entry[],
  ref: string,
): ModelLimits {
  const limits = registry.limits(ref)
  const override = windowOverride(branch, ref)
  if (override === undefined) return limits
  return {
    contextWindow: override,
    maxOutput: Math.min(limits.maxOutput, override),
    windowSource: 'run',
  }
}

/** The one line a client shows for a model whose window nobody gave. */
export function assumedWindowNotice(model: string): string {
  return `window unknown for ${model}: assuming ${DEFAULT_CONTEXT_WINDOW.toLocaleString('en-US')} tokens (set it in models.json or with --context-window)`
}
