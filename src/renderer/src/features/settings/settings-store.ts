import { create } from 'zustand'
import type { ModelChoice, ProviderView } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/**
 * The Settings feature's slice: the host's providers and models as last read: when the view opens,
 * after each change it makes, and when the host announces a change (`providers.changed`). No key is
 * ever held here: the contract only returns masked hints.
 */
export interface SettingsState {
  providers: ProviderView[] | null
  models: ModelChoice[]
  defaultModel: string | null
  /** The default is the one model there is, chosen by the host (nothing was set). */
  defaultIsOnlyModel: boolean
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
    defaultIsOnlyModel: false,
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
          defaultIsOnlyModel: models.defaultIsOnlyModel,
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
