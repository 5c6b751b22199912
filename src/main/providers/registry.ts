import type { MethodOutput, MethodParams } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { ModelSource } from '../host/engine'
import type { Settings } from '../sessions/settings'
import { ModelCatalog } from './catalog'

/**
 * The providers a user configured (settings + SecretStore) and the models they offer: what the
 * `providers.*` and `models.*` methods answer, and what a run's model ref resolves to.
 */
export interface ProviderRegistry {
  list(): MethodOutput<'providers.list'>
  save(params: MethodParams<'providers.save'>): MethodOutput<'providers.save'>
  remove(name: string): void
  test(params: MethodParams<'providers.test'>): Promise<MethodOutput<'providers.test'>>
  detectLocal(): Promise<MethodOutput<'providers.detectLocal'>>
  models(): MethodOutput<'models.list'>
  setDefault(ref: string): string
  /** The default model ref, or null when none is set and the host has no model of its own. */
  defaultRef(): string | null
  /** The model a run with this ref uses (null: the default); throws `no_model` with what to do. */
  resolve(ref: string | null): ModelSource
  /** Context window of a model ref, when known. */
  contextWindow(ref: string): number | null
}

export interface ProviderRegistryOptions {
  settings: Settings
  /** The model the host was started with (PADDOCK_BASE_URL…, or a test's), offered as `env/…`. */
  hostModel: ModelSource | null
  catalog?: ModelCatalog
}

/** The provider name of the host's own model. */
export const HOST_PROVIDER = 'env'

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const catalog = options.catalog ?? new ModelCatalog()
  const host = options.hostModel
  const hostRef = host ? `${HOST_PROVIDER}/${host.model}` : null
  const unsupported = (): never => {
    throw new ContractError(
      'invalid_params',
      'Provider settings are not supported by this host yet.',
    )
  }
  return {
    list: () => ({ providers: [], defaultModel: hostRef }),
    save: unsupported,
    remove: unsupported,
    test: unsupported,
    detectLocal: () => Promise.resolve([]),
    models: () => ({
      models: host
        ? [
            {
              ref: hostRef!,
              provider: HOST_PROVIDER,
              model: host.model,
              label: host.model,
              source: 'env' as const,
              contextWindow: catalog.get(host.model)?.contextWindow ?? null,
            },
          ]
        : [],
      defaultModel: hostRef,
    }),
    setDefault: unsupported,
    defaultRef: () => hostRef,
    resolve: (ref) => {
      if (host && (ref === null || ref === hostRef)) return host
      throw new ContractError(
        'no_model',
        ref
          ? `The model "${ref}" is not configured on this host.`
          : 'No model is configured for this host. Add a provider in Settings, or start the host with a model (see the README: PADDOCK_BASE_URL, PADDOCK_MODEL, PADDOCK_API_KEY_ENV).',
      )
    },
    contextWindow: (ref) => {
      const model = ref.slice(ref.indexOf('/') + 1)
      return catalog.get(model)?.contextWindow ?? null
    },
  }
}
