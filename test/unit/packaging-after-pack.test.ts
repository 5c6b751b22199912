import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../support/temp'
import { FUSES, flipAndVerifyFuses, wrongFuses } from '../../scripts/packaging/fuses.mjs'
import { checkPackedApp } from '../../scripts/packaging/check-packed.mjs'
import { afterPackTarget, packTarget } from '../../scripts/packaging/after-pack.mjs'

// The sentinel @electron/fuses searches an Electron binary for; the fuse wire follows it:
// a version byte, a length byte, then one byte per fuse ('0' off, '1' on).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const OFF = 0x30
const ON = 0x31
/** Electron's defaults, in wire order: RunAsNode … WasmTrapHandlers. */
const DEFAULT_WIRE = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON]

function writeFakeElectron(path: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const wire = Buffer.from([1, DEFAULT_WIRE.length, ...DEFAULT_WIRE])
  writeFileSync(
    path,
    Buffer.concat([Buffer.alloc(4096, 0x90), Buffer.from(SENTINEL), wire, Buffer.alloc(512, 0)]),
  )
  chmodSync(path, 0o755)
}

function readWire(path: string): number[] {
  const bytes = readFileSync(path)
  const at = bytes.indexOf(Buffer.from(SENTINEL)) + SENTINEL.length
  return [...bytes.subarray(at + 2, at + 2 + DEFAULT_WIRE.length)]
}

function touch(path: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, 'x')
  chmodSync(path, mode)
}

/** A packed app's resources folder with every native part where the packed app needs it. */
function fakeResources(resources: string, platform: string, arch: string): void {
  touch(join(resources, 'app.asar'))
  const unpacked = join(resources, 'app.asar.unpacked')
  touch(
    join(
      unpacked,
      'native',
      `better-sqlite3-electron-abi140-${platform}-${arch}`,
      'better_sqlite3.node',
    ),
  )
  const pty = join(unpacked, 'node_modules', 'node-pty')
  if (platform === 'linux') touch(join(pty, 'build', 'Release', 'pty.node'))
  else touch(join(pty, 'prebuilds', `${platform}-${arch}`, 'pty.node'))
  if (platform === 'darwin')
    touch(join(pty, 'prebuilds', `${platform}-${arch}`, 'spawn-helper'), 0o644)
  const watcher =
    platform === 'linux' ? `watcher-linux-${arch}-glibc` : `watcher-${platform}-${arch}`
  touch(join(unpacked, 'node_modules', '@parcel', watcher, 'watcher.node'))
}

let cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups) c()
  cleanups = []
})
function tmp(): string {
  const t = tempDir('paddock-pack-')
  cleanups.push(t.cleanup)
  return t.path
}

describe('the fuse policy', () => {
  it('turns off running as Node, NODE_OPTIONS and --inspect, and turns on the asar and cookie guards', () => {
    expect(Object.fromEntries(FUSES.map((f) => [f.name, f.enabled]))).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
      GrantFileProtocolExtraPrivileges: false,
    })
    for (const fuse of FUSES) expect(fuse.why.length).toBeGreaterThan(10)
  })

  it('is flipped in a binary carrying the fuse wire and read back from it', async () => {
    const binary = join(tmp(), 'paddock')
    writeFakeElectron(binary)
    expect((await wrongFuses(binary)).map((w) => w.name).sort()).toEqual(
      FUSES.map((f) => f.name).sort(),
    )
    await flipAndVerifyFuses(binary)
    // RunAsNode off, cookies on, NODE_OPTIONS off, inspect off, integrity on, asar only on,
    // the V8 snapshot fuse left alone, file:// privileges off, the WASM trap handlers left alone.
    expect(readWire(binary)).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF, ON])
    expect(await wrongFuses(binary)).toEqual([])
  })

  it('fails on a file that is not an Electron binary', async () => {
    const notElectron = join(tmp(), 'paddock')
    writeFileSync(notElectron, Buffer.alloc(10_000, 1))
    await expect(flipAndVerifyFuses(notElectron)).rejects.toThrow(/sentinel/)
  })
})

describe('the checks of a packed app', () => {
  it('pass on a complete Linux app and flip its fuses', async () => {
    const appOutDir = tmp()
    fakeResources(join(appOutDir, 'resources'), 'linux', 'x64')
    writeFakeElectron(join(appOutDir, 'paddock'))
    const lines: string[] = []
    await afterPackTarget(
      {
        appOutDir,
        platform: 'linux',
        arch: 'x64',
        productFilename: 'Paddock',
        executableName: 'paddock',
      },
      (l) => lines.push(l),
    )
    expect(readWire(join(appOutDir, 'paddock'))[0]).toBe(OFF)
    expect(lines.some((l) => l.includes('fuses flipped and checked'))).toBe(true)
  })

  it("give node-pty's spawn-helper back its execute bit on macOS, and flip the framework's fuses", async () => {
    const appOutDir = tmp()
    const app = join(appOutDir, 'Paddock.app')
    fakeResources(join(app, 'Contents', 'Resources'), 'darwin', 'x64')
    const framework = join(
      app,
      'Contents',
      'Frameworks',
      'Electron Framework.framework',
      'Electron Framework',
    )
    writeFakeElectron(framework)
    const helper = join(
      app,
      'Contents',
      'Resources',
      'app.asar.unpacked',
      'node_modules',
      'node-pty',
      'prebuilds',
      'darwin-x64',
      'spawn-helper',
    )
    expect(statSync(helper).mode & 0o111).toBe(0)
    const lines: string[] = []
    await afterPackTarget(
      { appOutDir, platform: 'darwin', arch: 'x64', productFilename: 'Paddock' },
      (l) => lines.push(l),
    )
    expect(statSync(helper).mode & 0o111).toBe(0o111)
    expect(lines).toContain(`  • after-pack: made ${helper} executable`)
    expect(readWire(framework)).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF, ON])
  })

  it('name each missing native part, and leave the binary untouched', async () => {
    const appOutDir = tmp()
    const resources = join(appOutDir, 'resources')
    touch(join(resources, 'app.asar'))
    mkdirSync(
      join(resources, 'app.asar.unpacked', 'native', 'better-sqlite3-electron-abi140-linux-arm64'),
      {
        recursive: true,
      },
    )
    // An addon for another architecture does not count.
    touch(
      join(
        resources,
        'app.asar.unpacked',
        'native',
        'better-sqlite3-electron-abi140-linux-arm64',
        'better_sqlite3.node',
      ),
    )
    writeFakeElectron(join(appOutDir, 'paddock'))
    const target = {
      appOutDir,
      platform: 'linux',
      arch: 'x64',
      productFilename: 'Paddock',
      executableName: 'paddock',
    }
    const failure = afterPackTarget(target, () => {})
    await expect(failure).rejects.toThrow(/not complete/)
    const message = await failure.catch((e: Error) => e.message)
    expect(message).toMatch(/better-sqlite3 for Electron \(linux-x64\) is missing/)
    expect(message).toMatch(/node-pty's addon for linux-x64 is missing/)
    expect(message).toMatch(/@parcel\/watcher's addon for linux-x64 is missing/)
    expect(readWire(join(appOutDir, 'paddock'))).toEqual(DEFAULT_WIRE)
  })

  it('refuse an app with nothing unpacked, and a macOS app without spawn-helper', () => {
    const bare = tmp()
    touch(join(bare, 'app.asar'))
    expect(checkPackedApp({ resources: bare, platform: 'linux', arch: 'x64' }).problems).toEqual([
      `${join(bare, 'app.asar.unpacked')} is missing: no native module was unpacked (check asarUnpack).`,
    ])
    const mac = tmp()
    fakeResources(mac, 'darwin', 'arm64')
    const helperDir = join(
      mac,
      'app.asar.unpacked',
      'node_modules',
      'node-pty',
      'prebuilds',
      'darwin-arm64',
    )
    writeFileSync(join(helperDir, 'spawn-helper'), '')
    expect(checkPackedApp({ resources: mac, platform: 'darwin', arch: 'arm64' }).problems).toEqual(
      [],
    )
    rmSync(join(helperDir, 'spawn-helper'))
    expect(checkPackedApp({ resources: mac, platform: 'darwin', arch: 'arm64' }).problems).toEqual([
      `${join(helperDir, 'spawn-helper')} is missing: terminals cannot start on macOS without it.`,
    ])
  })

  it("read electron-builder's context as plain values", () => {
    const context = {
      appOutDir: '/out/linux-unpacked',
      electronPlatformName: 'linux',
      arch: 3,
      packager: { appInfo: { productFilename: 'Paddock' }, executableName: 'paddock' },
    }
    expect(packTarget(context)).toEqual({
      appOutDir: '/out/linux-unpacked',
      platform: 'linux',
      arch: 'arm64',
      productFilename: 'Paddock',
      executableName: 'paddock',
    })
    expect(() => packTarget({ ...context, arch: 9 })).toThrow(/Unknown architecture/)
  })
})
