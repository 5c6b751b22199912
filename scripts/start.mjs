// `npm start`: build when the sources are newer than the build, then start the desktop app. Where no
// Electron binary is installed and none can be downloaded, say so in one line and start the web
// host instead, so the main command does something useful on every machine. A failed download is
// tried again after a day, or at once with `npm start -- --retry-electron`.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { dataDirFlag, resolveDataDir } from './data-dir.mjs'
import { findElectronBinary } from './electron-binary.mjs'
import { ago, downloadElectron, recentFailure } from './electron-download.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// `--retry-electron` is this script's own; the rest goes to the app (or the web host).
const retryFlag = process.argv.includes('--retry-electron')
const args = process.argv.slice(2).filter((a) => a !== '--retry-electron')
const stamp = join(root, 'out', '.build-stamp')

function newestMtime(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  let newest = info.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

function needsBuild() {
  if (!existsSync(stamp)) return true
  const built = statSync(stamp).mtimeMs
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p))
  return inputs.some((p) => existsSync(p) && newestMtime(p) > built)
}

function run(cmd, cmdArgs, opts = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts })
}

if (process.env.PADDOCK_SKIP_BUILD !== '1' && needsBuild()) {
  process.stdout.write('Building Paddock…\n')
  const build = run(process.execPath, [
    join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
    'build',
  ])
  if (build.status !== 0) {
    process.stderr.write('paddock: the build failed; see the errors above.\n')
    process.exit(build.status ?? 1)
  }
  writeFileSync(stamp, new Date().toISOString())
}

const dataDir = resolveDataDir(dataDirFlag(args))
const retry = retryFlag || process.env.PADDOCK_RETRY_ELECTRON === '1'
let electron = findElectronBinary(root)
let reason = 'no Electron binary in node_modules/electron'
const failed = electron || retry ? null : recentFailure(dataDir)
if (!electron && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
  reason = 'ELECTRON_SKIP_BINARY_DOWNLOAD=1 and no binary in node_modules/electron'
} else if (failed) {
  reason =
    `its download failed ${ago(failed.at)}: ${failed.reason}; ` +
    `"npm start -- --retry-electron" tries again`
} else if (!electron) {
  process.stdout.write('Downloading the Electron binary…\n')
  const why = downloadElectron(root, dataDir, () => findElectronBinary(root))
  electron = findElectronBinary(root)
  if (!electron) reason = `its download failed: ${why}; the next try is in a day`
}

if (electron) {
  const native = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'build-native-electron.mjs'), '--if-missing'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  if (native.status !== 0) process.exit(native.status ?? 1)
  const child = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  process.stdout.write(`Electron is not available (${reason}); starting the web host instead.\n`)
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'web.js'), ...args], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'inherit'],
  })
  // The web host's lines as they come, and after its address, what to do with it.
  createInterface({ input: child.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`)
    const url = /^Paddock web host: (\S+)$/.exec(line)?.[1]
    if (url) process.stdout.write(`Open this address in your browser: ${url}\n`)
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
