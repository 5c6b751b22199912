import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { IdSchema } from '../../shared/model'
import type { Logger } from '../core/logger'
import { PRIVATE_FILE_MODE, makePrivateDir } from '../core/private-files'
import { redactKnownValues } from '../core/redact'

/** An agent terminal's screen as saved for the next start of the host. */
export const SavedScrollbackSchema = z.object({
  version: z.literal(1),
  sessionId: IdSchema,
  /** When it was saved (ms since the epoch). */
  savedAt: z.number().int().nonnegative(),
  /** The shell's folder when it was saved (the next shell starts there). */
  cwd: z.string().nullable(),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  /** Serialized xterm screen, scrollback included. */
  screen: z.string(),
})
export type SavedScrollback = z.infer<typeof SavedScrollbackSchema>

/**
 * Agent terminals' scrollback on disk: `<dataDir>/terminals/<sessionId>.json` (owner-only), one file
 * per session, replaced atomically (temp file + rename). The manager decides when to save (throttled); this only
 * reads and writes. A file that does not parse is reported and set aside, never half-used.
 */
export class ScrollbackStore {
  readonly dir: string

  constructor(
    dataDir: string,
    private readonly logger: Logger,
  ) {
    this.dir = join(dataDir, 'terminals')
  }

  pathOf(sessionId: string): string {
    return join(this.dir, `${IdSchema.parse(sessionId)}.json`)
  }

  save(data: SavedScrollback): void {
    const path = this.pathOf(data.sessionId)
    makePrivateDir(this.dir)
    const tmp = `${path}.${process.pid}.tmp`
    // A key a command printed stays on the live screen, not in the copy kept on disk.
    writeFileSync(tmp, redactKnownValues(JSON.stringify(data)), { mode: PRIVATE_FILE_MODE })
    renameSync(tmp, path)
  }

  load(sessionId: string): SavedScrollback | null {
    const path = this.pathOf(sessionId)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      return null
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    const parsed = SavedScrollbackSchema.safeParse(json)
    if (!parsed.success || parsed.data.sessionId !== sessionId) {
      this.logger.log('warn', 'saved terminal scrollback is unreadable; starting without it', {
        path,
      })
      try {
        renameSync(path, `${path}.unreadable`)
      } catch {
        // Leave it; it is ignored either way.
      }
      return null
    }
    return parsed.data
  }

  remove(sessionId: string): void {
    rmSync(this.pathOf(sessionId), { force: true })
  }
}
