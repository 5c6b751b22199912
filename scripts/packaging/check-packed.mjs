// Checks of a packed app, before signing: the native parts it needs are beside app.asar (in
// app.asar.unpacked, since native code cannot load from inside the archive) and built for the
// target, and node-pty's spawn-helper can be executed (a lost execute bit makes every terminal
// fail with "posix_spawnp failed" on macOS).
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The resources folder of a packed app (where app.asar lives). */
export function resourcesDir({ appOutDir, platform, productFilename }) {
  if (platform === 'darwin' || platform === 'mas') {
    return join(appOutDir, `${productFilename}.app`, 'Contents', 'Resources')
  }
  return join(appOutDir, 'resources')
}

/** Folders node-pty looks in for its addon, in its own order (node-pty/lib/utils.js). */
function ptyDirs(platform, arch) {
  return ['build/Release', 'build/Debug', `prebuilds/${platform}-${arch}`]
}

const isExecutable = (path) => (statSync(path).mode & 0o111) === 0o111

function listDirs(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  } catch {
    return []
  }
}

/**
 * Check the packed app in `resources` for `platform`/`arch` (Node's names: darwin, x64, arm64…).
 * Repairs what can be repaired (spawn-helper's execute bit, then checked again). Returns
 * `{problems, fixed}`: each problem a sentence naming the file and what is wrong.
 */
export function checkPackedApp({ resources, platform, arch }) {
  const problems = []
  const fixed = []
  const asar = join(resources, 'app.asar')
  const unpacked = join(resources, 'app.asar.unpacked')
  if (!existsSync(asar)) problems.push(`${asar} is missing: the app is not packed into an asar.`)
  if (!existsSync(unpacked)) {
    problems.push(`${unpacked} is missing: no native module was unpacked (check asarUnpack).`)
    return { problems, fixed }
  }

  // better-sqlite3, built for Electron's ABI by scripts/build-native-electron.mjs.
  const suffix = `-${platform}-${arch}`
  const sqliteDirs = listDirs(join(unpacked, 'native')).filter(
    (d) => d.startsWith('better-sqlite3-electron-abi') && d.endsWith(suffix),
  )
  if (!sqliteDirs.some((d) => existsSync(join(unpacked, 'native', d, 'better_sqlite3.node')))) {
    problems.push(
      `better-sqlite3 for Electron (${platform}-${arch}) is missing from ${join(unpacked, 'native')}: ` +
        `run "npm run native:electron" with npm_config_arch=${arch} before packing.`,
    )
  }

  // node-pty: its addon where node-pty looks, and spawn-helper beside it.
  const pty = join(unpacked, 'node_modules', 'node-pty')
  const ptyDir = ptyDirs(platform, arch)
    .map((d) => join(pty, d))
    .find((d) => existsSync(join(d, platform === 'win32' ? 'conpty.node' : 'pty.node')))
  if (!ptyDir) {
    problems.push(`node-pty's addon for ${platform}-${arch} is missing under ${pty}.`)
  } else {
    const helper = join(ptyDir, 'spawn-helper')
    if (existsSync(helper)) {
      if (!isExecutable(helper)) {
        chmodSync(helper, statSync(helper).mode | 0o755)
        if (isExecutable(helper)) fixed.push(`made ${helper} executable`)
      }
      if (!isExecutable(helper)) problems.push(`${helper} is not executable and chmod failed.`)
    } else if (platform === 'darwin') {
      problems.push(`${helper} is missing: terminals cannot start on macOS without it.`)
    }
  }

  // @parcel/watcher's prebuilt addon comes in a package per platform and arch.
  const parcel = join(unpacked, 'node_modules', '@parcel')
  const watcher = listDirs(parcel)
    .filter((d) => d === `watcher${suffix}` || d.startsWith(`watcher${suffix}-`))
    .some((d) => existsSync(join(parcel, d, 'watcher.node')))
  if (!watcher) {
    problems.push(
      `@parcel/watcher's addon for ${platform}-${arch} is missing under ${parcel}: ` +
        `install @parcel/watcher-${platform}-${arch} (npm installs only the host's).`,
    )
  }
  return { problems, fixed }
}
