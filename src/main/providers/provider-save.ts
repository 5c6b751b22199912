import type { MethodParams } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import { ProviderIdSchema } from './catalog'
import type { ProviderId } from './catalog'
import { PROVIDER_PRESETS } from './presets'
import { HOST_PROVIDER, ProviderConfigSchema } from './provider-config'
import type { ProviderConfig } from './provider-config'

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com'

/**
 * The stored config a `providers.save` makes, from its parameters and the provider's current
 * config (when it exists). An absent field keeps what the provider had: `preset` (`""` removes
 * it), `baseUrl` (while the kind is unchanged), `apiKeyEnv` (`null` removes it) and `models`.
 * A new provider's address defaults to its preset's, and to Anthropic's API for `anthropic`.
 * The key itself is not part of the config (see the SecretStore).
 */
export function buildProviderConfig(
  params: MethodParams<'providers.save'>,
  existing: ProviderConfig | undefined,
): ProviderConfig {
  const invalid = (message: string): ContractError => new ContractError('invalid_params', message)
  if (params.name === HOST_PROVIDER) {
    throw invalid(
      `"${HOST_PROVIDER}" is the name of the host’s own model (PADDOCK_BASE_URL): choose another name.`,
    )
  }
  if (params.apiKey !== undefined && params.clearKey) {
    throw invalid('Give a new key or clear the stored one, not both.')
  }
  const preset = presetOf(params, existing)
  const keptUrl = existing && existing.kind === params.kind ? existing.baseUrl : undefined
  const presetUrl = preset ? PROVIDER_PRESETS[preset]?.baseUrl : undefined
  const baseUrl =
    params.baseUrl ??
    keptUrl ??
    presetUrl ??
    (params.kind === 'anthropic' ? ANTHROPIC_BASE_URL : undefined)
  if (!baseUrl) {
    throw invalid('An OpenAI-compatible provider needs a base URL (it usually ends in /v1).')
  }
  const apiKeyEnv = params.apiKeyEnv === undefined ? existing?.apiKeyEnv : params.apiKeyEnv
  const models = [...new Set(params.models ?? existing?.models ?? [])]
  const parsed = ProviderConfigSchema.safeParse({
    name: params.name,
    kind: params.kind,
    ...(preset ? { preset } : {}),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
    models,
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw invalid(`${issue?.path.join('.') || 'provider'}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

function presetOf(
  params: MethodParams<'providers.save'>,
  existing: ProviderConfig | undefined,
): ProviderId | undefined {
  if (params.preset === undefined) {
    // A kept preset must still speak the (possibly changed) kind.
    const kept = existing?.preset
    return kept && PROVIDER_PRESETS[kept]?.wire === params.kind ? kept : undefined
  }
  if (params.preset === '') return undefined
  const id = ProviderIdSchema.safeParse(params.preset)
  const preset = id.success ? PROVIDER_PRESETS[id.data] : undefined
  if (!id.success || !preset) {
    const known = Object.keys(PROVIDER_PRESETS).join(', ')
    throw new ContractError(
      'invalid_params',
      `Unknown preset "${params.preset}" (known: ${known}).`,
    )
  }
  if (preset.wire !== params.kind) {
    throw new ContractError(
      'invalid_params',
      `The preset "${id.data}" speaks the ${preset.wire === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'} API: choose the kind "${preset.wire}".`,
    )
  }
  return id.data
}
