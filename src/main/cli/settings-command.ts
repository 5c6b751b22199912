import { Settings, isSettingKey, SETTINGS, withSettings } from '../sessions/settings'
import type { CliIo } from './cli'

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
    const stored = withSettings(dataDir, (s) => s.set(key, Settings.parseText(key, value)))
    io.out(`${key} = ${JSON.stringify(stored)}\n`)
    return 0
  }
  if (command === 'unset') {
    withSettings(dataDir, (s) => s.unset(key))
    io.out(`${key} unset\n`)
    return 0
  }
  throw new SettingsUsageError(`unknown command "settings ${command}" (list, get, set, unset)`)
}
