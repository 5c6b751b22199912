import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../src/main/core/data-dir'
// @ts-expect-error -- plain ESM script without types
import * as script from '../../scripts/data-dir.mjs'

const fromScript = script as {
  dataDirFlag: (args: string[]) => string | undefined
  resolveDataDir: (
    flag: string | undefined,
    env: NodeJS.ProcessEnv,
    platform: NodeJS.Platform,
    home: string,
  ) => string
}

describe('the data folder npm start remembers things in', () => {
  it('is the one the app uses, for every way of choosing it', () => {
    const home = '/home/ada'
    const cases: Array<[string | undefined, NodeJS.ProcessEnv, NodeJS.Platform]> = [
      ['/data/flag', { PADDOCK_DATA_DIR: '/data/env' }, 'linux'],
      ['rel/flag', {}, 'linux'],
      [undefined, { PADDOCK_DATA_DIR: '/data/env' }, 'linux'],
      [undefined, { PADDOCK_DATA_DIR: '  ' }, 'linux'],
      [undefined, { XDG_CONFIG_HOME: '/xdg' }, 'linux'],
      [undefined, { XDG_CONFIG_HOME: 'relative' }, 'linux'],
      [undefined, {}, 'darwin'],
      [undefined, { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32'],
      [undefined, {}, 'win32'],
    ]
    for (const [flag, env, platform] of cases) {
      expect(fromScript.resolveDataDir(flag, env, platform, home)).toBe(
        resolveDataDir({ ...(flag ? { flag } : {}), env, platform, home }),
      )
    }
  })

  it('takes --data-dir from npm start’s arguments, both spellings', () => {
    expect(fromScript.dataDirFlag(['--port', '0', '--data-dir', '/d'])).toBe('/d')
    expect(fromScript.dataDirFlag(['--data-dir=/e'])).toBe('/e')
    expect(fromScript.dataDirFlag(['--port', '0'])).toBeUndefined()
  })
})
