import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { ContractError } from '../../shared/errors'
import { newSecret } from '../core/ids'
import type { Logger } from '../core/logger'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../core/private-files'

const SecretFileSchema = z.strictObject({
  version: z.literal(1),
  secrets: z.record(z.string(), z.string()),
})

/**
 * A JSON file of named strings that only its owner may read: created 0600, re-tightened (with a
 * warning) when found looser, replaced atomically (temp file in the same folder, fsync, rename).
 * A file that does not parse is never overwritten: reads and writes fail with a clear error until
 * the user fixes or moves it, so a key that is still in it is not lost.
 */
export class SecretFile {
  constructor(
    readonly path: string,
    private readonly logger?: Logger,
  ) {}

  /** The stored map (empty when the file does not exist). */
  read(): Record<string, string> {
    let text: string
    try {
      text = readFileSync(this.path, 'utf8')
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return {}
      throw new ContractError('io_error', `Cannot read ${this.path} (${code ?? 'error'}).`)
    }
    this.tightenMode()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      // JSON.parse's message quotes the text, which may hold a key: only say what is wrong.
      throw this.corrupt('it is not valid JSON')
    }
    const parsed = SecretFileSchema.safeParse(json)
    if (!parsed.success) throw this.corrupt('it is not a {"version": 1, "secrets": {…}} object')
    const map: Record<string, string> = Object.create(null) as Record<string, string>
    for (const [name, value] of Object.entries(parsed.data.secrets)) map[name] = value
    return map
  }

  /** Read, change and write back; nothing is written when the file is unreadable or corrupt. */
  update(change: (map: Record<string, string>) => Record<string, string> | null): void {
    const next = change(this.read())
    if (next) this.write(next)
  }

  private write(map: Record<string, string>): void {
    const dir = dirname(this.path)
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
    const text = `${JSON.stringify({ version: 1, secrets: map }, null, 2)}\n`
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${newSecret().slice(0, 8)}.tmp`)
    try {
      const fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE)
      try {
        writeSync(fd, text)
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      // The umask can only remove bits, but make the mode explicit anyway.
      chmodSync(tmp, PRIVATE_FILE_MODE)
      renameSync(tmp, this.path)
    } catch (err) {
      try {
        unlinkSync(tmp)
      } catch {
        // Never created, or already renamed.
      }
      const code = (err as NodeJS.ErrnoException).code
      throw new ContractError(
        'io_error',
        `Cannot write ${this.path} (${code ?? (err as Error).message}); the key was not saved.`,
      )
    }
    syncDir(dir)
  }

  private tightenMode(): void {
    if (process.platform === 'win32') return
    try {
      const mode = statSync(this.path).mode & 0o777
      if ((mode & 0o077) === 0) return
      chmodSync(this.path, PRIVATE_FILE_MODE)
      this.logger?.log('warn', 'secrets file was readable by others; made it owner-only (0600)', {
        path: this.path,
        mode: mode.toString(8),
      })
    } catch (err) {
      this.logger?.log('warn', 'cannot check the secrets file mode', {
        path: this.path,
        code: (err as NodeJS.ErrnoException).code ?? 'error',
      })
    }
  }

  private corrupt(why: string): ContractError {
    return new ContractError(
      'io_error',
      `${this.path} is corrupt (${why}). Paddock will not overwrite it: repair it or move it ` +
        'away, then enter your keys again.',
    )
  }
}

/** Make the rename durable; not every platform can fsync a folder, which is fine. */
function syncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Windows cannot open a folder this way.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
