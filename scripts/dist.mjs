// `npm run dist`: installers for the current platform and architecture, into dist/
// (electron-builder.yml). Steps: find (or download) Electron's binary → build the app → build
// better-sqlite3 for Electron's ABI into native/ → electron-builder (which flips the fuses, checks
// the natives, signs and notarizes when the environment allows: scripts/packaging/) → check that
// the Node build in node_modules, which tests, the web host and the CLI use, still loads.
// Where no Electron binary can be had, it says so in one line and exits with 1: no installer was
// made. Arguments after `--` go to electron-builder (`npm run dist -- --dir`: unpacked only).
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findElectronBinary } from './electron-binary.mjs'
import { builderArgs, electronForDist } from './packaging/dist-plan.mjs'
import { signingPlan } from './packaging/release-env.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const arch = process.env.npm_config_arch || process.arch

function run(step, cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env })
  if (result.status !== 0) {
    process.stderr.write(`paddock dist: ${step} failed; see the errors above.\n`)
    process.exit(result.status ?? 1)
  }
}

function downloadElectron() {
  const dl = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (dl.status === 0) return null
  const first = `${dl.stderr ?? ''}`.split('\n').find((l) => l.trim()) ?? 'download failed'
  return first.trim().slice(0, 160)
}

const electron = electronForDist({
  binary: findElectronBinary(root),
  env: process.env,
  download: downloadElectron,
  found: () => findElectronBinary(root) !== null,
})
if (!electron.ok) {
  process.stderr.write(`${electron.line}\n`)
  process.exit(1)
}

const signing = signingPlan(process.env, process.platform)
process.stdout.write(
  `Building Paddock installers for ${process.platform}-${arch} (${signing.line})…\n`,
)
run('the app build', process.execPath, [
  join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
  'build',
])
writeFileSync(join(root, 'out', '.build-stamp'), new Date().toISOString())
run('building better-sqlite3 for Electron', process.execPath, [
  join(root, 'scripts', 'build-native-electron.mjs'),
])
run(
  'electron-builder',
  process.execPath,
  [
    join(root, 'node_modules', 'electron-builder', 'cli.js'),
    ...builderArgs({
      root,
      platform: process.platform,
      arch,
      env: process.env,
      extra: process.argv.slice(2),
    }),
  ],
  { ...process.env, ...signing.env },
)
// node_modules is never rebuilt for Electron (npmRebuild: false); this proves it.
run('loading better-sqlite3 in Node afterwards', process.execPath, [
  '-e',
  "new (require('better-sqlite3'))(':memory:').close()",
])
process.stdout.write('Installers are in dist/.\n')
