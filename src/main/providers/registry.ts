import type { MethodOutput, MethodParams, ModelChoice, ProviderView } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Logger } from '../core/logger'
import type { ModelSource } from './model-source'
import { keyEnvName } from './model-source'
import type { SecretStore } from '../secrets/secret-store'
import type { Settings } from '../sessions/settings'
import { ModelCatalog, isLocalProvider } from './catalog'
import type { ModelLimits, ProviderId } from './catalog'
import type { ConnectionTarget } from './connection-test'
import { testConnection } from './connection-test'
import { createProviderFetch } from './http-client'
import type { FetchFn, NetworkSettings } from './http-client'
import { detectLocalServers } from './local-servers'
import type { LocalServerCandidate } from './local-servers'
import { PROVIDER_PRESETS, modelSource } from './presets'
import { HOST_PROVIDER, secretName, splitRef } from './provider-config'
import type { ProviderConfig } from './provider-config'
import { keyView, providerKey } from './provider-keys'
import type { HostModels } from './host-models'
import {
  hostChoice,
  hostRef as hostRefOf,
  hostTarget,
  hostView,
  resolveHostModel,
} from './host-models'
import { buildProviderConfig } from './provider-save'
import { loadCatalog } from './user-models'
import { learnSecret } from '../core/redact'

export { HOST_PROVIDER }

/** The variables the presets read their keys from by default (`OPENROUTER_API_KEY`, …). */
const PRESET_KEY_ENVS: readonly string[] = Object.values(PROVIDER_PRESETS).flatMap((p) =>
  p?.keyEnv ? [p.keyEnv] : [],
)

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
  /**
   * Window and max output of a model ref: the catalog's, the user's models.json's, else the
   * defaults for an unknown model (`windowSource: 'default'`).
   */
  limits(ref: string): ModelLimits
  /**
   * What the agent's environment must not hold: the variables keys are read from (saved providers'
   * `apiKeyEnv`, the host model's, the one PADDOCK_API_KEY_ENV names, each preset's usual one) and
   * the keys themselves (stored, or the values of those variables). For `sanitizedEnv`.
   */
  heldKeys(): { keyNames: string[]; values: string[] }
}

export interface ProviderRegistryOptions {
  settings: Settings
  /** Where provider keys are kept (`provider:<name>`). */
  secrets: SecretStore
  /** The model the host was started with (PADDOCK_BASE_URL…, or a test's), offered as `env/…`. */
  hostModel: ModelSource | null
  /** More models at the host model's address (`paddock run --fallback-model`), as `env/<model>`. */
  hostFallbacks?: ModelSource[]
  /** The host's environment: key variables are read from it (default: process.env). */
  env?: NodeJS.ProcessEnv
  logger?: Logger
  /** Where the user's `models.json` lives; without it (and without `catalog`), the bundled one. */
  dataDir?: string
  catalog?: ModelCatalog
  /** Where `providers.detectLocal` looks (default: Ollama's and LM Studio's usual addresses). */
  localServers?: readonly LocalServerCandidate[]
  /** How long `providers.test` waits for an answer, in ms (default 5 s). */
  testTimeoutMs?: number
  /**
   * Runs a change to the providers or the default model, and announces it (the engine records a
   * `providers.changed` event in the same transaction). Default: runs it.
   */
  commit?: <T>(change: () => T) => T
}

const NO_MODEL_HELP =
  'No model is configured for this host. Add a provider in Settings → Providers (or with ' +
  '"paddock providers add"), or start the host with a model (see the README: PADDOCK_BASE_URL, ' +
  'PADDOCK_MODEL, PADDOCK_API_KEY_ENV).'

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const { settings, secrets, logger } = options
  const env = options.env ?? process.env
  const catalog = options.catalog ?? userCatalog(options.dataDir, logger)
  const host = options.hostModel
  const hostModels: HostModels = { model: host, fallbacks: options.hostFallbacks ?? [], env }
  const hostRef = hostRefOf(hostModels)
  const fetches = new Map<string, FetchFn>()
  const commit = options.commit ?? (<T>(change: () => T): T => change())

  const configs = (): ProviderConfig[] => settings.get('providers') ?? []
  const find = (name: string): ProviderConfig | undefined => configs().find((p) => p.name === name)
  const exists = (name: string): boolean => (name === HOST_PROVIDER ? host !== null : !!find(name))

  function mustFind(name: string): ProviderConfig {
    const config = find(name)
    if (!config) throw new ContractError('not_found', `No provider named "${name}" is configured.`)
    return config
  }

  /** One proxy- and CA-aware fetch per network configuration, reused across runs. */
  function providerFetch(network: NetworkSettings): FetchFn {
    const key = JSON.stringify([network.proxy, network.noProxy, network.caFile])
    let fetch = fetches.get(key)
    if (!fetch) fetches.set(key, (fetch = createProviderFetch(network, env)))
    return fetch
  }

  function view(config: ProviderConfig): ProviderView {
    return {
      name: config.name,
      kind: config.kind,
      preset: config.preset ?? null,
      baseUrl: config.baseUrl,
      key: keyView(config, providerKey(config, secrets, env)),
      models: config.models,
      readOnly: false,
    }
  }

  /** The catalog provider a config stands for: its preset, else the plain kind. */
  function catalogProvider(config: ProviderConfig): ProviderId {
    return config.preset ?? (config.kind === 'anthropic' ? 'anthropic' : 'openai-compatible')
  }

  /** The canonical id of a provider's model name, when the catalog knows it. */
  function canonicalOf(config: ProviderConfig | null, model: string): string | undefined {
    if (catalog.get(model)) return model
    return config ? catalog.canonicalId(catalogProvider(config), model) : undefined
  }

  /** The default the user (or an earlier change) set, while its provider exists. */
  function storedDefault(): string | null {
    const stored = settings.get('models.default')
    return stored && exists(splitRef(stored).provider) ? stored : null
  }

  /** The one model there is, when there is exactly one (none while the providers are unreadable). */
  function onlyModel(): string | null {
    let all: ModelChoice[]
    try {
      all = choices()
    } catch (err) {
      if (err instanceof ContractError) return null
      throw err
    }
    return all.length === 1 ? all[0]!.ref : null
  }

  /** The default chosen for the user: nothing is set, the host has no model, one model exists. */
  function automaticDefault(): string | null {
    return storedDefault() === null && hostRef === null ? onlyModel() : null
  }

  function defaultRef(): string | null {
    return storedDefault() ?? hostRef ?? onlyModel()
  }

  /** Every model a session can pick: the host's, then each provider's, then their catalogs'. */
  function choices(): ModelChoice[] {
    const models: ModelChoice[] = []
    if (host) models.push(hostChoice(host, catalog))
    for (const config of configs()) {
      const source = config.preset && isLocalProvider(config.preset) ? 'local' : 'provider'
      const covered = new Set<string>()
      for (const model of config.models) {
        const info = catalog.get(canonicalOf(config, model) ?? '')
        covered.add(info?.id ?? model)
        models.push({
          ref: `${config.name}/${model}`,
          provider: config.name,
          model,
          label: info?.name ?? model,
          source,
          contextWindow: info?.contextWindow ?? null,
        })
      }
      if (!config.preset) continue
      for (const info of catalog.list()) {
        if (info.providers[config.preset] === undefined || covered.has(info.id)) continue
        models.push({
          ref: `${config.name}/${info.id}`,
          provider: config.name,
          model: info.id,
          label: info.name,
          source: 'catalog',
          contextWindow: info.contextWindow,
        })
      }
    }
    return models
  }

  /** The canonical id of a model ref, when the catalog knows it. */
  function canonicalOfRef(ref: string): string | undefined {
    const { provider, model } = splitRef(ref)
    let config: ProviderConfig | null = null
    try {
      config = provider === HOST_PROVIDER ? null : (find(provider) ?? null)
    } catch {
      // Unreadable provider settings: the bundled catalog still knows canonical ids.
    }
    return canonicalOf(config, model)
  }

  function noModel(message: string): ContractError {
    return new ContractError('no_model', message)
  }

  return {
    list: () => ({
      providers: [...(host ? [hostView(host, env)] : []), ...configs().map(view)],
      defaultModel: defaultRef(),
    }),

    save(params) {
      const list = configs()
      const existing = list.find((p) => p.name === params.name)
      const config = buildProviderConfig(params, existing)
      let key: 'stored' | 'cleared' | 'kept' = 'kept'
      commit(() => {
        const automatic = automaticDefault()
        // The key first: when the store cannot be written, the provider is not saved either.
        if (params.apiKey !== undefined) {
          secrets.set(secretName(config.name), params.apiKey)
          key = 'stored'
        } else if (params.clearKey) {
          secrets.delete(secretName(config.name))
          key = 'cleared'
        }
        settings.set(
          'providers',
          existing ? list.map((p) => (p === existing ? config : p)) : [...list, config],
        )
        // The only model stays the default when others come: sessions keep running on it.
        if (automatic && onlyModel() !== automatic && choices().some((m) => m.ref === automatic)) {
          settings.set('models.default', automatic)
        }
      })
      logger?.log('info', existing ? 'provider updated' : 'provider added', {
        name: config.name,
        kind: config.kind,
        baseUrl: config.baseUrl,
        key,
      })
      return view(config)
    },

    remove(name) {
      if (name === HOST_PROVIDER) {
        throw new ContractError(
          'invalid_params',
          'The "env" provider comes from the host’s environment (PADDOCK_BASE_URL); it cannot be removed here.',
        )
      }
      const list = configs()
      mustFind(name)
      commit(() => {
        secrets.delete(secretName(name))
        settings.set(
          'providers',
          list.filter((p) => p.name !== name),
        )
        const stored = settings.get('models.default')
        if (stored && splitRef(stored).provider === name) settings.unset('models.default')
      })
      logger?.log('info', 'provider removed', { name })
    },

    async test(params) {
      let target: ConnectionTarget
      if ('name' in params) {
        target = savedTarget(params.name)
      } else {
        const baseUrl =
          params.baseUrl ?? (params.kind === 'anthropic' ? 'https://api.anthropic.com' : undefined)
        if (!baseUrl) {
          throw new ContractError(
            'invalid_params',
            'Enter the base URL to test (it usually ends in /v1).',
          )
        }
        const apiKey = params.apiKey ?? (params.keyFrom ? savedTarget(params.keyFrom).apiKey : null)
        target = { kind: params.kind, baseUrl, apiKey }
      }
      const result = await testConnection(target, {
        fetch: providerFetch(settings.network()),
        ...(options.testTimeoutMs ? { timeoutMs: options.testTimeoutMs } : {}),
      })
      logger?.log('info', 'provider connection tested', {
        ...('name' in params ? { name: params.name } : {}),
        baseUrl: target.baseUrl,
        verdict: result.verdict,
      })
      return result
    },

    async detectLocal() {
      const found = await detectLocalServers(
        options.localServers ? { candidates: options.localServers } : {},
      )
      return found.map((s) => ({ kind: s.kind, baseUrl: s.baseUrl, models: s.models }))
    },

    models() {
      return {
        models: choices(),
        defaultModel: defaultRef(),
        defaultIsOnlyModel: automaticDefault() !== null,
      }
    },

    setDefault(ref) {
      const { provider } = splitRef(ref)
      if (!exists(provider)) {
        throw new ContractError(
          'invalid_params',
          `No provider named "${provider}" is configured: add it in Settings → Providers (or with "paddock providers add") first.`,
        )
      }
      return commit(() => settings.set('models.default', ref))
    },

    defaultRef,

    resolve(ref) {
      const target = ref ?? defaultRef()
      if (!target) throw noModel(NO_MODEL_HELP)
      const { provider, model } = splitRef(target)
      if (provider === HOST_PROVIDER) return resolveHostModel(hostModels, model, target)
      const config = find(provider)
      if (!config) {
        throw noModel(
          `No provider named "${provider}" is configured (model "${target}"): add it in Settings → Providers or with "paddock providers add", or pick another model.`,
        )
      }
      if (!model) throw noModel(`"${target}" names no model: use "<provider>/<model>".`)
      const network = settings.network()
      return modelSource(
        {
          provider: catalogProvider(config),
          model,
          baseUrl: config.baseUrl,
          apiKey: providerKey(config, secrets, env).value ?? '',
          fetch: providerFetch(network),
          ...(network.timeoutMs ? { timeoutMs: network.timeoutMs } : {}),
        },
        catalog,
      )
    },

    limits(ref) {
      return catalog.limits(canonicalOfRef(ref) ?? splitRef(ref).model)
    },

    heldKeys() {
      const names = new Set<string>([keyEnvName(env), ...PRESET_KEY_ENVS])
      if (host?.keyEnv) names.add(host.keyEnv)
      const values = new Set<string>()
      try {
        for (const config of configs()) {
          if (config.apiKeyEnv) names.add(config.apiKeyEnv)
          const stored = secrets.get(secretName(config.name))
          if (stored) values.add(stored)
        }
      } catch (err) {
        logger?.log('warn', 'cannot read provider keys to strip them from the agent environment', {
          error: err instanceof ContractError ? err.message : 'unreadable',
        })
      }
      for (const name of names) {
        const value = env[name]
        if (value) values.add(value)
      }
      // Keys given in variables are redacted like stored ones.
      for (const value of values) learnSecret(value)
      return { keyNames: [...names], values: [...values] }
    },
  }

  /** Where a saved provider is and the key it would use. */
  function savedTarget(name: string): ConnectionTarget {
    if (name === HOST_PROVIDER) return hostTarget(hostModels)
    const config = mustFind(name)
    return {
      kind: config.kind,
      baseUrl: config.baseUrl,
      apiKey: providerKey(config, secrets, env).value,
    }
  }
}

/** The catalog with the user's `models.json`; a broken file is logged and the bundled one used. */
function userCatalog(dataDir: string | undefined, logger: Logger | undefined): ModelCatalog {
  if (!dataDir) return new ModelCatalog()
  try {
    return loadCatalog(dataDir)
  } catch (err) {
    logger?.log('warn', 'user model catalog not loaded; using the bundled one', {
      error: err instanceof Error ? err.message : String(err),
    })
    return new ModelCatalog()
  }
}
