// Fetching Electron's binary for `npm start`, at most once a day: a failed download is remembered
// in the data folder (electron-download.json), so an offline machine does not wait for it on every
// start. `npm start -- --retry-electron` (or PADDOCK_RETRY_ELECTRON=1) tries again at once.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** How long a failed download is not tried again. */
export const RETRY_AFTER_MS = 24 * 60 * 60 * 1000
export const STAMP_FILE = 'electron-download.json'

/** The failure remembered in `dataDir`, if one is recent enough to skip the download. */
export function recentFailure(dataDir, now = Date.now()) {
  let stamp
  try {
    stamp = JSON.parse(readFileSync(join(dataDir, STAMP_FILE), 'utf8'))
  } catch {
    return null
  }
  const at = Date.parse(stamp?.failedAt)
  if (!Number.isFinite(at) || now - at >= RETRY_AFTER_MS || now < at) return null
  return { at, reason: typeof stamp.reason === 'string' ? stamp.reason : 'download failed' }
}

/**
 * Run Electron's own installer (node_modules/electron/install.js). Returns null when it worked,
 * else why not (its first line of errors), remembered in `dataDir` for a day.
 */
export function downloadElectron(root, dataDir, found) {
  const dl = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  })
  if (found()) {
    rmSync(join(dataDir, STAMP_FILE), { force: true })
    return null
  }
  const firstLine = `${dl.stderr ?? ''}`.split('\n').find((l) => l.trim()) ?? 'download failed'
  const reason = firstLine.trim().slice(0, 160)
  try {
    // Private like everything in the data folder (docs/data.md), whatever the umask.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    writeFileSync(
      join(dataDir, STAMP_FILE),
      `${JSON.stringify({ failedAt: new Date().toISOString(), reason }, null, 2)}\n`,
      { mode: 0o600 },
    )
  } catch {
    // Not remembered: the next start tries again, which is only slower.
  }
  return reason
}

/** "3 min ago", "5 h ago": how long since `at`. */
export function ago(at, now = Date.now()) {
  const minutes = Math.max(0, Math.round((now - at) / 60_000))
  if (minutes < 1) return 'just now'
  if (minutes < 60) return `${minutes} min ago`
  return `${Math.round(minutes / 60)} h ago`
}
