import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import picomatch from 'picomatch'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { readYaml } from '../support/yaml'
// @ts-expect-error -- plain ESM script without types
import { electronSqlitePath } from '../../scripts/native-paths.mjs'

interface Target {
  target: string
  arch: string[]
}
interface BuilderConfig {
  appId: string
  productName: string
  files: string[]
  asar: boolean
  asarUnpack: string[]
  npmRebuild: boolean
  afterPack: string
  afterSign: string
  icon: string
  publish: { provider: string; releaseType: string }
  mac: {
    target: Target[]
    hardenedRuntime: boolean
    entitlements: string
    entitlementsInherit: string
    notarize: boolean
  }
  win: { target: Target[] }
  nsis: { oneClick: boolean; perMachine: boolean }
  linux: { target: Target[]; executableArgs?: string[] }
}

const config = readYaml(join(REPO_ROOT, 'electron-builder.yml')) as BuilderConfig
const require = createRequire(import.meta.url)

/** Whether a pattern (with electron-builder's macros filled in for a darwin-arm64 build) takes `path`. */
const matchesAny = (patterns: string[], path: string): boolean =>
  patterns.some(
    (p) =>
      !p.startsWith('!') &&
      picomatch(p.replaceAll('${platform}', 'darwin').replaceAll('${arch}', 'arm64'), {
        dot: true,
      })(path),
  )

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's own schema (and an unknown key is not)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(
        config: unknown,
        log: { isEnabled: boolean; add(): void },
      ): Promise<void>
    }
    const log = { isEnabled: false, add: () => {} }
    await expect(validateConfiguration(config, log)).resolves.toBeUndefined()
    await expect(validateConfiguration({ ...config, asarUnpak: [] }, log)).rejects.toThrow(
      /unknown property 'asarUnpak'/,
    )
  })

  it('names the app and takes its icon from build/, a PNG large enough for .icns and .ico', () => {
    expect(config.appId).toBe('dev.paddock.app')
    expect(config.productName).toBe('Paddock')
    const png = readFileSync(join(REPO_ROOT, config.icon))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    // The window and notifications use resources/icon.png: it is packed too.
    expect(config.files).toContain('resources/icon.png')
    expect(existsSync(join(REPO_ROOT, 'resources', 'icon.png'))).toBe(true)
  })

  it('packs the build, package.json and the Electron-ABI SQLite addon, and unpacks every native part', () => {
    expect(config.asar).toBe(true)
    expect(matchesAny(config.files, 'out/main/index.js')).toBe(true)
    expect(matchesAny(config.files, 'package.json')).toBe(true)
    const addon = relative(
      REPO_ROOT,
      electronSqlitePath(REPO_ROOT, {
        modules: '140',
        platform: 'darwin',
        arch: 'arm64',
      }) as string,
    ).replaceAll('\\', '/')
    expect(matchesAny(config.files, addon)).toBe(true)
    // Never the addon of another architecture or platform.
    const other = (platform: string, arch: string): string =>
      relative(
        REPO_ROOT,
        electronSqlitePath(REPO_ROOT, { modules: '140', platform, arch }) as string,
      )
    expect(matchesAny(config.files, other('darwin', 'x64').replaceAll('\\', '/'))).toBe(false)
    expect(matchesAny(config.files, other('linux', 'arm64').replaceAll('\\', '/'))).toBe(false)
    expect(matchesAny(config.files, 'src/main/index.ts')).toBe(false)
    for (const native of [
      addon,
      'node_modules/node-pty/prebuilds/darwin-arm64/spawn-helper',
      'node_modules/node-pty/prebuilds/darwin-arm64/pty.node',
      'node_modules/node-pty/build/Release/pty.node',
      'node_modules/node-pty/lib/unixTerminal.js',
      'node_modules/@parcel/watcher-linux-x64-glibc/watcher.node',
      'node_modules/@parcel/watcher-darwin-arm64/watcher.node',
    ]) {
      expect(matchesAny(config.asarUnpack, native), native).toBe(true)
    }
    expect(matchesAny(config.asarUnpack, 'out/main/index.js')).toBe(false)
  })

  it("never rebuilds node_modules for Electron (the tests' Node build stays), and runs its hooks", async () => {
    expect(config.npmRebuild).toBe(false)
    for (const hook of [config.afterPack, config.afterSign]) {
      const mod = (await import(join(REPO_ROOT, hook))) as { default: unknown }
      expect(typeof mod.default).toBe('function')
    }
  })

  it('builds a dmg and a zip for both Mac architectures with the hardened runtime and its entitlements', () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ])
    expect(config.mac.hardenedRuntime).toBe(true)
    // Notarization is the afterSign hook's, only with the Apple variables set.
    expect(config.mac.notarize).toBe(false)
    const plist = readFileSync(join(REPO_ROOT, config.mac.entitlements), 'utf8')
    expect(plist).toContain('com.apple.security.cs.allow-jit')
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements)
  })

  it('installs per user on Windows, and builds an AppImage and a deb on Linux with the sandbox on', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis'])
    // One click and not per machine: per user, never the "for everyone" choice that needs an admin.
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false })
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb'])
    expect(config.linux.executableArgs ?? []).not.toContain('--no-sandbox')
  })

  it('publishes update files to GitHub Releases as drafts', () => {
    expect(config.publish).toEqual({ provider: 'github', releaseType: 'draft' })
  })
})
