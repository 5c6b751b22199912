// Build better-sqlite3 for Electron's ABI into native/, beside (never over) npm's Node build.
// Needs Electron's headers, so it runs on a machine with network access:
//   npm run native:electron            build (or rebuild) it
//   node scripts/build-native-electron.mjs --if-missing   used by `npm start`
// ELECTRON_HEADERS_URL overrides where the headers come from (a mirror).
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  copyFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronVersion } from './electron-binary.mjs'
import { electronSqlitePath } from './native-paths.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ifMissing = process.argv.includes('--if-missing')
const version = electronVersion(root)
const modules = readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim()
const arch = process.env.npm_config_arch || process.arch
const target = electronSqlitePath(root, { modules, platform: process.platform, arch })

if (ifMissing && existsSync(target)) process.exit(0)

process.stdout.write(
  `Building better-sqlite3 for Electron ${version} (ABI ${modules}, ${process.platform}-${arch})…\n`,
)
const work = mkdtempSync(join(tmpdir(), 'paddock-native-'))
try {
  const src = join(root, 'node_modules', 'better-sqlite3')
  const copy = join(work, 'better-sqlite3')
  // A copy, so the Node build in node_modules stays untouched for tests, web host and CLI.
  cpSync(src, copy, { recursive: true, filter: (p) => !p.startsWith(join(src, 'build')) })
  const env = { ...process.env }
  // A machine-wide nodedir would make node-gyp build against Node's headers instead of Electron's.
  delete env.npm_config_nodedir
  const gyp = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${version}`,
      `--arch=${arch}`,
      '--runtime=electron',
      `--dist-url=${process.env.ELECTRON_HEADERS_URL || 'https://electronjs.org/headers'}`,
      `--devdir=${join(root, 'native', '.headers')}`,
    ],
    { cwd: copy, stdio: 'inherit', env },
  )
  if (gyp.status !== 0) {
    process.stderr.write(
      'paddock: building better-sqlite3 for Electron failed. It needs network access to download ' +
        "Electron's headers, plus python3, make and a C++ compiler.\n",
    )
    process.exit(gyp.status ?? 1)
  }
  mkdirSync(dirname(target), { recursive: true })
  copyFileSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target)
  process.stdout.write(`Built ${target}\n`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
