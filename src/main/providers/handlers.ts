import type { Handlers } from '../host/dispatcher'
import type { ProviderRegistry } from './registry'

type ProviderMethod =
  | 'models.list'
  | 'models.setDefault'
  | 'providers.list'
  | 'providers.save'
  | 'providers.remove'
  | 'providers.test'
  | 'providers.detectLocal'

/** The contract's methods over providers, their keys and the models they offer. */
export function providerHandlers(registry: ProviderRegistry): Pick<Handlers, ProviderMethod> {
  return {
    'models.list': () => registry.models(),
    'models.setDefault': ({ ref }) => ({ defaultModel: registry.setDefault(ref) }),
    'providers.list': () => registry.list(),
    'providers.save': (params) => registry.save(params),
    'providers.remove': ({ name }) => {
      registry.remove(name)
      return { name }
    },
    'providers.test': (params) => registry.test(params),
    'providers.detectLocal': () => registry.detectLocal(),
  }
}
