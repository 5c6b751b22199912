import { create } from 'zustand'
import type { EditableSettingKey, SettingsRead, SettingsValues } from '../../../../shared/contract'
import { EDITABLE_SETTINGS } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** What a save changes: a value to store, or `undefined` to unset (the default applies again). */
export type SettingChanges = Partial<Record<EditableSettingKey, unknown>>

/** Why each key could not be saved; empty when everything was. */
export type SettingErrors = Partial<Record<EditableSettingKey, string>>

/**
 * The stored settings the Settings sections edit, as last read from the host (`settings.get`):
 * the same rows `paddock settings` uses. Sections read them when they open, so a change made
 * with the CLI shows the next time a section is shown.
 */
export interface StoredSettingsState {
  values: SettingsValues | null
  problems: SettingsRead['problems']
  loadError: string | null
  load(): Promise<void>
  /**
   * Check every change with the setting's own schema, then store them one by one; returns the
   * errors by key (the ones refused are not stored; valid ones are only sent when all are valid).
   */
  save(changes: SettingChanges): Promise<SettingErrors>
}

/** The first problem zod finds in a value, as a phrase ("must be more than 0"). */
export function settingError(key: EditableSettingKey, value: unknown): string | null {
  const parsed = EDITABLE_SETTINGS[key].safeParse(value)
  if (parsed.success) return null
  const issue = parsed.error.issues[0]
  return issue?.message ?? 'not a valid value'
}

/** The host's message for a refused value, without the method's prefix. */
function refusal(err: unknown): string {
  const text = errorMessage(err)
  const match = /^Invalid parameters for settings\.set: (?:value(?:\.[\w.]+)?: )?(.*)$/.exec(text)
  return match?.[1] ?? text
}

export const useStoredSettings = create<StoredSettingsState>()((set) => {
  let generation = 0
  const apply = (read: SettingsRead): void =>
    set({ values: read.values, problems: read.problems, loadError: null })
  return {
    values: null,
    problems: {},
    loadError: null,
    load: async () => {
      const mine = ++generation
      try {
        const read = await getClient().call('settings.get', {})
        if (mine === generation) apply(read)
      } catch (err) {
        if (mine === generation) set({ loadError: errorMessage(err) })
      }
    },
    save: async (changes) => {
      const errors: SettingErrors = {}
      const keys = Object.keys(changes) as EditableSettingKey[]
      for (const key of keys) {
        const value = changes[key]
        const problem = value === undefined ? null : settingError(key, value)
        if (problem) errors[key] = problem
      }
      if (Object.keys(errors).length > 0) return errors
      const client = getClient()
      for (const key of keys) {
        const value = changes[key]
        try {
          const read =
            value === undefined
              ? await client.call('settings.unset', { key })
              : await client.call('settings.set', { key, value })
          generation++
          apply(read)
        } catch (err) {
          errors[key] = refusal(err)
        }
      }
      return errors
    },
  }
})
