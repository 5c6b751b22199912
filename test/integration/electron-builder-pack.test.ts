import { spawnSync } from 'node:child_process'
import type { SpawnSyncReturns } from 'node:child_process'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'

/**
 * electron-builder for real, with the repository's electron-builder.yml and hooks, on a copy of
 * the project whose Electron is a stand-in: a file carrying Electron's fuse wire (the real binary
 * downloads from outside the npm registry). What it proves: the configuration packs, the natives
 * land in app.asar.unpacked, and the afterPack hook runs and flips the fuses in the packed binary.
 */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const OFF = 0x30
const ON = 0x31

const project = tempDir('paddock-pack-project-')
afterAll(() => project.cleanup())

function fuseWire(path: string): number[] {
  const bytes = readFileSync(path)
  const at = bytes.indexOf(Buffer.from(SENTINEL)) + SENTINEL.length
  return [...bytes.subarray(at + 2, at + 11)]
}

/** electron-builder on the project copy: an unpacked Linux x64 app, nothing published. */
function pack(root: string, electronDist: string): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'electron-builder', 'cli.js'),
      '--linux',
      '--x64',
      '--dir',
      '--publish',
      'never',
      `--config.electronDist=${electronDist}`,
      '--config.publish.owner=paddock-test',
      '--config.publish.repo=paddock',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
  )
}

describe.runIf(process.platform === 'linux' && process.arch === 'x64')(
  'electron-builder with the repository configuration',
  () => {
    it('packs an unpacked Linux app with its natives beside the asar and its fuses flipped', () => {
      const root = project.path
      for (const item of [
        'package.json',
        'package-lock.json',
        'electron-builder.yml',
        'build',
        'resources',
        'scripts',
      ]) {
        cpSync(join(REPO_ROOT, item), join(root, item), { recursive: true })
      }
      const modules = realpathSync(join(REPO_ROOT, 'node_modules'))
      symlinkSync(modules, join(root, 'node_modules'))
      // npm trusts node_modules' record of the install only when it is newer than every package
      // folder; after `npm ci` the native builds are newer, so electron-builder's `npm list` walks
      // the linked folder instead and loses every nested dependency. In a checkout (`npm run dist`)
      // npm reads the real folder either way; here the record is dated as an `npm install` leaves it.
      const record = join(modules, '.package-lock.json')
      if (existsSync(record)) utimesSync(record, new Date(), new Date())
      mkdirSync(join(root, 'out', 'main'), { recursive: true })
      writeFileSync(join(root, 'out', 'main', 'index.js'), 'export {}\n')
      // Stands in for the Electron-ABI build (the real one needs Electron's headers).
      const addonDir = join(root, 'native', 'better-sqlite3-electron-abi140-linux-x64')
      mkdirSync(addonDir, { recursive: true })
      writeFileSync(join(addonDir, 'better_sqlite3.node'), 'addon')
      // One for another architecture, left from an earlier build: never packed.
      const stale = join(root, 'native', 'better-sqlite3-electron-abi140-linux-arm64')
      mkdirSync(stale)
      writeFileSync(join(stale, 'better_sqlite3.node'), 'stale')
      const electronDist = join(root, 'electron-dist')
      mkdirSync(electronDist)
      const wire = [ON, OFF, ON, ON, OFF, OFF, OFF, ON, ON]
      writeFileSync(
        join(electronDist, 'electron'),
        Buffer.concat([
          Buffer.alloc(4096, 0x90),
          Buffer.from(SENTINEL),
          Buffer.from([1, wire.length, ...wire]),
          Buffer.alloc(64),
        ]),
      )
      chmodSync(join(electronDist, 'electron'), 0o755)

      const run = pack(root, electronDist)
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0)
      expect(run.stdout).toContain('after-pack: fuses flipped and checked')

      const app = join(root, 'dist', 'linux-unpacked')
      expect(fuseWire(join(app, 'paddock'))).toEqual([OFF, ON, OFF, OFF, ON, ON, OFF, OFF, ON])
      const unpacked = join(app, 'resources', 'app.asar.unpacked')
      expect(existsSync(join(addonDir.replace(root, unpacked), 'better_sqlite3.node'))).toBe(true)
      expect(existsSync(join(unpacked, 'node_modules', 'node-pty', 'package.json'))).toBe(true)
      expect(existsSync(join(unpacked, 'node_modules', '@parcel'))).toBe(true)
      // The update source electron-updater reads.
      expect(readFileSync(join(app, 'resources', 'app-update.yml'), 'utf8')).toMatch(
        /owner: paddock-test\nrepo: paddock\nprovider: github/,
      )
      const asar = createRequire(import.meta.url)('@electron/asar') as {
        listPackage(path: string, options: object): string[]
      }
      const files = asar.listPackage(join(app, 'resources', 'app.asar'), {})
      expect(files).toContain('/out/main/index.js')
      expect(files).toContain(
        '/native/better-sqlite3-electron-abi140-linux-x64/better_sqlite3.node',
      )
      expect(files.some((f) => f.includes('linux-arm64'))).toBe(false)
      expect(files).toContain('/resources/icon.png')
      expect(files.some((f) => f.startsWith('/src/') || f.startsWith('/test/'))).toBe(false)
      expect(files.some((f) => f.includes('/node_modules/better-sqlite3/deps/'))).toBe(false)
      expect(files.some((f) => f.includes('/node_modules/electron/'))).toBe(false)
    })

    it('fails, naming what is missing, when the Electron-ABI SQLite addon was not built', () => {
      const root = project.path
      rmSync(join(root, 'native'), { recursive: true, force: true })
      rmSync(join(root, 'dist'), { recursive: true, force: true })
      const run = pack(root, join(root, 'electron-dist'))
      expect(run.status).not.toBe(0)
      expect(`${run.stdout}\n${run.stderr}`).toMatch(
        /better-sqlite3 for Electron \(linux-x64\) is missing .*run "npm run native:electron"/,
      )
    })
  },
)
