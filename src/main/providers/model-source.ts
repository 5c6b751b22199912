import type { Pricing } from './catalog'
import type { StreamFn } from './types'

/** A model runs can use: how to reach it, and what it is called and costs. */
export interface ModelSource {
  /** The canonical model id (catalog key, or the user's own name for an unknown model). */
  model: string
  /** The provider's name for it; default: the canonical id. */
  providerModel?: string
  /** Prices for usage cost and spend caps; absent when unknown. */
  pricing?: Pricing
  /** Takes image input (the catalog's `capabilities.images`); absent: it does not. */
  images?: boolean
  /** The environment variable its API key was read from: kept from the agent with its value. */
  keyEnv?: string
  stream: StreamFn
}

/**
 * The environment variable that holds the API key of a model given by address: the one
 * PADDOCK_API_KEY_ENV names when it is set and not empty, else `fallback`.
 */
export function keyEnvName(env: NodeJS.ProcessEnv, fallback = 'OPENAI_API_KEY'): string {
  return env.PADDOCK_API_KEY_ENV || fallback
}
