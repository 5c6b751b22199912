// Where Paddock keeps its data, for the scripts (which run before any build): the same rule as
// src/main/core/data-dir.ts (test/unit/data-dir-script.test.ts keeps the two in step).
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** `--data-dir DIR` (or `--data-dir=DIR`) among `args`, if given. */
export function dataDirFlag(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir') return args[i + 1]
    if (args[i].startsWith('--data-dir=')) return args[i].slice('--data-dir='.length)
  }
  return undefined
}

/** `--data-dir`, else `PADDOCK_DATA_DIR`, else the platform's application data folder. */
export function resolveDataDir(flag, env = process.env, platform = process.platform, home) {
  if (flag && flag.trim()) return resolve(flag)
  if (env.PADDOCK_DATA_DIR && env.PADDOCK_DATA_DIR.trim()) return resolve(env.PADDOCK_DATA_DIR)
  const h = home ?? homedir()
  const base =
    platform === 'win32'
      ? (env.APPDATA ?? join(h, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(h, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
          ? env.XDG_CONFIG_HOME
          : join(h, '.config')
  return join(base, 'Paddock')
}
