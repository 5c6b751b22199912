import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveDataDir } from '../../src/main/core/data-dir'

describe('data dir resolution', () => {
  const env = { PADDOCK_DATA_DIR: '/from/env', XDG_CONFIG_HOME: '/xdg' }

  it('prefers --data-dir, then PADDOCK_DATA_DIR, then the platform folder', () => {
    expect(resolveDataDir({ flag: 'rel/dir', env })).toBe(resolve('rel/dir'))
    expect(resolveDataDir({ env })).toBe('/from/env')
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux' })).toBe(
      '/xdg/Paddock',
    )
  })

  it('uses each platform’s application data folder', () => {
    const home = '/home/u'
    expect(resolveDataDir({ env: {}, platform: 'linux', home })).toBe(
      join(home, '.config', 'Paddock'),
    )
    expect(resolveDataDir({ env: {}, platform: 'darwin', home })).toBe(
      join(home, 'Library', 'Application Support', 'Paddock'),
    )
    expect(
      resolveDataDir({
        env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' },
        platform: 'win32',
        home,
      }),
    ).toBe(join('C:\\Users\\u\\AppData\\Roaming', 'Paddock'))
  })

  it('ignores blank values', () => {
    expect(
      resolveDataDir({ flag: '  ', env: { PADDOCK_DATA_DIR: '' }, platform: 'linux', home: '/h' }),
    ).toBe('/h/.config/Paddock')
  })
})
