// Locating Electron's binary without triggering electron's own lazy download (requiring the
// `electron` package downloads the binary when it is missing, which fails on offline machines).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Path of the installed Electron binary, or null when none is installed. */
export function findElectronBinary(appRoot, env = process.env) {
  const pkgDir = join(appRoot, 'node_modules', 'electron')
  if (!existsSync(join(pkgDir, 'package.json'))) return null
  let rel
  try {
    rel = readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim()
  } catch {
    rel = null
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, 'dist')
  const candidate = rel
    ? join(dist, rel)
    : env.ELECTRON_OVERRIDE_DIST_PATH
      ? join(dist, 'electron')
      : null
  return candidate && existsSync(candidate) ? candidate : null
}

/** Electron's version as installed in node_modules. */
export function electronVersion(appRoot) {
  return JSON.parse(readFileSync(join(appRoot, 'node_modules', 'electron', 'package.json'), 'utf8'))
    .version
}
