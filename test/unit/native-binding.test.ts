import { describe, expect, it } from 'vitest'
import { chooseSqliteBinding, electronBindingPath } from '../../src/main/sessions/native-binding'

const node = { modules: '115', platform: 'linux', arch: 'x64' }
const electron = { electron: '45.4.1', modules: '140', platform: 'linux', arch: 'x64' }

describe('better-sqlite3 binding selection', () => {
  it('uses the npm (Node ABI) build outside Electron', () => {
    expect(chooseSqliteBinding('/app', node, () => true)).toEqual({ kind: 'node' })
  })

  it('uses the Electron-ABI build beside it inside Electron', () => {
    const path = electronBindingPath('/app', electron)
    expect(path).toBe('/app/native/better-sqlite3-electron-abi140-linux-x64/better_sqlite3.node')
    expect(chooseSqliteBinding('/app', electron, (p) => p === path)).toEqual({
      kind: 'electron',
      path,
    })
  })

  it('explains how to build the Electron copy when it is missing', () => {
    const choice = chooseSqliteBinding('/app', electron, () => false)
    expect(choice.kind).toBe('missing')
    if (choice.kind !== 'missing') return
    expect(choice.message).toContain('npm run native:electron')
    expect(choice.message).toContain('ABI 140')
  })

  it('keys the build by ABI, platform and arch, so one runtime never loads another’s addon', () => {
    const a = electronBindingPath('/app', electron)
    expect(electronBindingPath('/app', { ...electron, modules: '141' })).not.toBe(a)
    expect(electronBindingPath('/app', { ...electron, arch: 'arm64' })).not.toBe(a)
    expect(electronBindingPath('/app', { ...electron, platform: 'darwin' })).not.toBe(a)
  })
})

describe('the build script and the runtime agree on where the Electron build lives', () => {
  it('computes the same path', async () => {
    // @ts-expect-error -- plain ESM script without types
    const { electronSqlitePath } = (await import('../../scripts/native-paths.mjs')) as {
      electronSqlitePath: (root: string, rt: typeof electron) => string
    }
    expect(electronSqlitePath('/app', electron)).toBe(electronBindingPath('/app', electron))
  })
})
