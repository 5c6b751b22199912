import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const APP_DIR_NAME = 'Paddock'

export interface DataDirInputs {
  /** Value of `--data-dir`, if given. */
  flag?: string
  env?: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  home?: string
}

/**
 * Where Paddock keeps its database, logs and secrets: `--data-dir`, else `PADDOCK_DATA_DIR`, else the
 * platform's application data folder (the same one Electron's `userData` resolves to for "Paddock").
 */
export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const env = inputs.env ?? process.env
  if (inputs.flag && inputs.flag.trim()) return resolve(inputs.flag)
  if (env.PADDOCK_DATA_DIR && env.PADDOCK_DATA_DIR.trim()) return resolve(env.PADDOCK_DATA_DIR)
  return join(
    platformAppDataDir(inputs.platform ?? process.platform, env, inputs.home),
    APP_DIR_NAME,
  )
}

export function platformAppDataDir(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string = homedir(),
): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
    ? env.XDG_CONFIG_HOME
    : join(home, '.config')
}
