import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newSecret } from '../core/ids'
import { PRIVATE_FILE_MODE, makePrivateDir } from '../core/private-files'

export const COOKIE_SECRET_FILE = 'web-cookie.key'

/**
 * The secret behind the web host's auth cookie, kept (mode 0600) in the data dir so an open page
 * reconnects by itself after the host restarts. The URL token is still new at every start. A
 * missing or malformed file is replaced; it is written atomically (temp file + rename).
 */
export function loadCookieSecret(dataDir: string): string {
  const file = join(dataDir, COOKIE_SECRET_FILE)
  try {
    const value = readFileSync(file, 'utf8').trim()
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value
  } catch {
    // Not there yet.
  }
  const secret = newSecret()
  makePrivateDir(dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, `${secret}\n`, { mode: PRIVATE_FILE_MODE })
  chmodSync(tmp, PRIVATE_FILE_MODE)
  renameSync(tmp, file)
  return secret
}
