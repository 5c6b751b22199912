import type { ProviderView } from '../../shared/contract'
import type { SecretStore } from '../secrets/secret-store'
import type { ProviderConfig } from './provider-config'
import { secretName } from './provider-config'

/** Keys shorter than this get no hint at all: their last 4 characters would be too much of them. */
const MIN_HINT_LENGTH = 12

/**
 * A hint that tells keys apart without revealing them: a short vendor prefix (`sk-`, `gsk_`) and at most
 * the last 4 characters (`sk-…a1b2`); `••••` for a short key.
 */
export function maskKey(key: string): string {
  if (key.length < MIN_HINT_LENGTH) return '••••'
  const prefix = /^[A-Za-z]{2,3}[-_]/.exec(key)?.[0] ?? ''
  return `${prefix}…${key.slice(-4)}`
}

export interface ResolvedKey {
  /** The key to send; null when there is none. */
  value: string | null
  source: ProviderView['key']['source']
}

/** The key a provider uses: its variable when set (it wins), else the stored one, else none. */
export function providerKey(
  config: ProviderConfig,
  secrets: SecretStore,
  env: NodeJS.ProcessEnv,
): ResolvedKey {
  const fromEnv = config.apiKeyEnv ? env[config.apiKeyEnv] : undefined
  if (fromEnv) return { value: fromEnv, source: 'env' }
  const stored = secrets.get(secretName(config.name))
  if (stored) return { value: stored, source: 'stored' }
  return { value: null, source: 'none' }
}

export function keyView(config: ProviderConfig, key: ResolvedKey): ProviderView['key'] {
  return {
    source: key.source,
    hint: key.value ? maskKey(key.value) : null,
    env: config.apiKeyEnv ?? null,
  }
}
