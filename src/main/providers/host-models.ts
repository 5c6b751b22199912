import type { ModelChoice, ProviderView } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { ModelCatalog } from './catalog'
import type { ConnectionTarget } from './connection-test'
import type { ModelSource } from './model-source'
import { keyEnvName } from './model-source'
import { HOST_PROVIDER } from './provider-config'
import { maskKey } from './provider-keys'

/**
 * The host's own models, offered as the read-only `env` provider: the model the host was started
 * with (PADDOCK_BASE_URL…, or a test's), and the fallbacks `paddock run --fallback-model` gives at
 * its address. Kept apart from the saved providers' registry (`registry.ts`).
 */
export interface HostModels {
  /** The model the host was started with, or null. */
  model: ModelSource | null
  /** More models at its address (`paddock run --fallback-model`), as `env/<model>`. */
  fallbacks: readonly ModelSource[]
  env: NodeJS.ProcessEnv
}

/** The host model's ref (`env/<model>`), or null. */
export function hostRef(host: HostModels): string | null {
  return host.model ? `${HOST_PROVIDER}/${host.model.model}` : null
}

/** The host's model as a choice of the model pickers. */
export function hostChoice(model: ModelSource, catalog: ModelCatalog): ModelChoice {
  return {
    ref: `${HOST_PROVIDER}/${model.model}`,
    provider: HOST_PROVIDER,
    model: model.model,
    label: catalog.get(model.model)?.name ?? model.model,
    source: 'env',
    contextWindow: catalog.get(model.model)?.contextWindow ?? null,
  }
}

/** The host's own model as a read-only provider; its address and key variable when known. */
export function hostView(model: ModelSource, env: NodeJS.ProcessEnv): ProviderView {
  const keyEnv = env.PADDOCK_BASE_URL ? keyEnvName(env) : null
  const key = keyEnv ? env[keyEnv] : undefined
  return {
    name: HOST_PROVIDER,
    kind: 'openai',
    preset: null,
    baseUrl: env.PADDOCK_BASE_URL ?? '',
    key: { source: key ? 'env' : 'none', hint: key ? maskKey(key) : null, env: keyEnv },
    models: [model.model],
    readOnly: true,
  }
}

/** `env/<model>`: the host's model or one of its fallbacks; `no_model` for any other. */
export function resolveHostModel(host: HostModels, model: string, target: string): ModelSource {
  if (host.model && model === host.model.model) return host.model
  const fallback = host.model && host.fallbacks.find((m) => m.model === model)
  if (fallback) return fallback
  throw new ContractError(
    'no_model',
    host.model
      ? `This host’s own model is "${hostRef(host)}", not "${target}": pick another model.`
      : `"${target}" is a model from a host environment (PADDOCK_BASE_URL) this host was not started with: pick another model, or add a provider in Settings → Providers.`,
  )
}

/** Where the host's model is, to test the connection to it. */
export function hostTarget(host: HostModels): ConnectionTarget {
  const { env } = host
  if (!host.model || !env.PADDOCK_BASE_URL) {
    throw new ContractError('not_found', 'This host has no model of its own to test.')
  }
  return { kind: 'openai', baseUrl: env.PADDOCK_BASE_URL, apiKey: env[keyEnvName(env)] ?? null }
}
