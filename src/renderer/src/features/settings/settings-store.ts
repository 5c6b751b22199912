import { create } from 'zustand'
import type { ModelChoice, ProviderView } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/**
 * The Settings feature's slice: the host's providers and models as last read. Providers are not
 * session events, so the view reads them when it opens and after each change it makes. No key is
 * ever held here: the contract only returns masked hints.
 */
export interface SettingsState {
  providers: ProviderView[] | null
  models: ModelChoice[]
  defaultModel: string | null
  loading: boolean
  /** Why the last read failed; null when it worked. */
  loadError: string | null
  refresh(): Promise<void>
}

export const useSettingsStore = create<SettingsState>()((set) => {
  /** Each refresh gets a number; only the newest one may write, so answers never go backwards. */
  let generation = 0
  return {
    providers: null,
    models: [],
    defaultModel: null,
    loading: false,
    loadError: null,
    refresh: async () => {
      const mine = ++generation
      set({ loading: true })
      try {
        const client = getClient()
        const [providers, models] = await Promise.all([
          client.call('providers.list', {}),
          client.call('models.list', {}),
        ])
        if (mine !== generation) return
        set({
          providers: providers.providers,
          models: models.models,
          defaultModel: models.defaultModel,
          loading: false,
          loadError: null,
        })
      } catch (err) {
        if (mine !== generation) return
        set({ loading: false, loadError: errorMessage(err) })
      }
    },
  }
})
