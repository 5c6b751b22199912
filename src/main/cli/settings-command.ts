import { HOST_STREAM } from '../../shared/events'
import { openDatabase } from '../sessions/database'
import { Settings, isSettingKey, SETTINGS, withSettings } from '../sessions/settings'
import type { SettingKey } from '../sessions/settings'
import { Store } from '../sessions/store'
import type { CliIo } from './cli'

/** Settings an open window shows in its model pickers: changing one is announced to it. */
const PROVIDER_SETTINGS: ReadonlySet<SettingKey> = new Set<SettingKey>([
  'providers',
  'models.default',
])

/**
 * Change a setting; a provider setting's change is recorded with a `providers.changed` event in
 * the same transaction, so a running app's pickers follow.
 */
function change<T>(dataDir: string, key: SettingKey, apply: (settings: Settings) => T): T {
  if (!PROVIDER_SETTINGS.has(key)) return withSettings(dataDir, apply)
  const db = openDatabase(dataDir)
  try {
    const settings = new Settings(db)
    return new Store(db).write((emit) => {
      const result = apply(settings)
      emit({ type: 'providers.changed', sessionId: HOST_STREAM })
      return result
    })
  } finally {
    db.close()
  }
}

export class SettingsUsageError extends Error {}

/** `paddock settings list | get KEY | set KEY VALUE | unset KEY`. */
export function runSettings(args: string[], dataDir: string, json: boolean, io: CliIo): number {
  const [command, key, value, ...rest] = args
  if (rest.length) throw new SettingsUsageError(`unexpected argument "${rest[0]}"`)
  if (command === 'list' || command === undefined) {
    const rows = withSettings(dataDir, (s) => s.list())
    if (json) io.out(`${JSON.stringify(rows, null, 2)}\n`)
    else
      for (const r of rows)
        io.out(
          `${r.key} = ${r.value === undefined ? '(unset)' : JSON.stringify(r.value)}    # ${r.description}\n`,
        )
    return 0
  }
  if (!key) throw new SettingsUsageError(`settings ${command} needs a KEY`)
  if (!isSettingKey(key)) {
    throw new SettingsUsageError(
      `unknown setting "${key}" (known: ${Object.keys(SETTINGS).join(', ')})`,
    )
  }
  if (command === 'get') {
    const v = withSettings(dataDir, (s) => s.get(key))
    io.out(`${v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v)}\n`)
    return 0
  }
  if (command === 'set') {
    if (value === undefined) throw new SettingsUsageError('settings set needs KEY VALUE')
    const stored = change(dataDir, key, (s) => s.set(key, Settings.parseText(key, value)))
    io.out(`${key} = ${JSON.stringify(stored)}\n`)
    return 0
  }
  if (command === 'unset') {
    change(dataDir, key, (s) => s.unset(key))
    io.out(`${key} unset\n`)
    return 0
  }
  throw new SettingsUsageError(`unknown command "settings ${command}" (list, get, set, unset)`)
}
