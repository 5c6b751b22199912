import type { Pricing } from '../providers/catalog'
import type { StreamFn } from '../providers/types'

/**
 * The turn loop's ports to what changes a run under it: the keeper of the model's window
 * (`Compactor`) and the fallback chain (`FallbackController`). Re-exported by `agent-loop.ts`.
 */

/** The model a run switches to mid-way, and the keeper of its window. */
export interface LoopModel {
  stream: StreamFn
  model: string
  providerModel: string
  pricing: Pricing | undefined
  /** Takes image input (tool results' images go to it as image parts). */
  images: boolean
  keeper: ContextKeeper | undefined
}

/** Switches a run's model (`FallbackController`); each switch is recorded by it. */
export interface ModelFallback {
  /** Before each model call: the primary model again when its cooldown has passed, or null. */
  beforeCall(): LoopModel | null
  /**
   * A model call failed after its retries: the model to make it again with (compacted for, when
   * it must be), or null. Resolves null on an abort.
   */
  afterFailure(err: unknown, signal: AbortSignal): Promise<LoopModel | null>
}

/**
 * Keeps the conversation inside the model's window (`Compactor`): may record `prune` and
 * `compaction` entries, which change what the next request derives.
 */
export interface ContextKeeper {
  /** Before each model call: prune or compact when the tokens in use pass the threshold. */
  beforeCall(signal: AbortSignal): Promise<void>
  /**
   * The provider said the request did not fit: compact everything but the system prompt and the
   * last prompt. Throws when it could not (the message says why).
   */
  afterOverflow(signal: AbortSignal): Promise<void>
}

/** What the user reads when a request still does not fit after compacting. */
export function overflowAdvice(message: string): string {
  return (
    `The conversation does not fit the model's context window, even after compacting it (${message}). ` +
    'Switch to a model with a larger window, set the window this model really has (models.json or ' +
    '--context-window) so Paddock compacts in time, or start a new session.'
  )
}
