import type { Handlers } from '../host/dispatcher'
import type { SettingsRead } from '../../shared/contract'
import { EDITABLE_SETTING_KEYS } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Settings } from './settings'

/**
 * The contract's settings methods: the same `settings` rows `paddock settings` reads and writes,
 * each value validated again by the store's own schema on the way in and on the way out.
 */
export function settingsHandlers(
  settings: Settings,
): Pick<Handlers, 'settings.get' | 'settings.set' | 'settings.unset'> {
  const read = (): SettingsRead => {
    const values: Record<string, unknown> = {}
    const problems: SettingsRead['problems'] = {}
    for (const key of EDITABLE_SETTING_KEYS) {
      try {
        const value = settings.get(key)
        if (value !== undefined) values[key] = value
      } catch (err) {
        if (!(err instanceof ContractError)) throw err
        problems[key] = err.message
      }
    }
    return { values: values as SettingsRead['values'], problems }
  }
  return {
    'settings.get': () => read(),
    'settings.set': ({ key, value }) => {
      settings.set(key, value)
      return read()
    },
    'settings.unset': ({ key }) => {
      settings.unset(key)
      return read()
    },
  }
}
