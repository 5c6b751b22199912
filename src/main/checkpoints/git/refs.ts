import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, isMissing } from './fs-ops'
import type { CheckpointFs } from './fs-ops'
import { OID_RE } from './git-object'
import type { Oid } from './git-object'

/** Every checkpoint has its own ref, so nothing expires until a prune says so. */
export const REF_PREFIX = 'refs/paddock'

/**
 * `refs/paddock/deleted/<slug>`: deleted worktrees' saves (src/main/worktrees/delete.ts, written
 * by the git CLI). Not a session: never listed, swept or pruned as checkpoints; a root of GC with
 * its whole history (`RefStore.historyRoots`).
 */
export const SAVES_DIR = 'deleted'

export function checkpointRef(sessionId: string, n: number): string {
  return `${REF_PREFIX}/${sessionId}/${n}`
}

const META_KEY = 'Paddock-Checkpoint: '

export const MetaSchema = z.object({
  v: z.literal(1),
  session: z.string(),
  n: z.number().int().positive(),
  reason: z.string(),
  label: z.string().nullable(),
  createdAt: z.number(),
  files: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  unprotected: z.number().int().nonnegative(),
})
export type CheckpointMeta = z.infer<typeof MetaSchema>

/** The commit message: a readable subject, then the metadata as one JSON trailer line. */
export function encodeMessage(meta: CheckpointMeta): string {
  const subject = (meta.label ?? meta.reason).split('\n')[0]!.slice(0, 200)
  return `${subject}\n\n${META_KEY}${JSON.stringify(meta)}\n`
}

export function decodeMessage(message: string): CheckpointMeta | null {
  const line = message.split('\n').find((l) => l.startsWith(META_KEY))
  if (!line) return null
  try {
    const parsed = MetaSchema.safeParse(JSON.parse(line.slice(META_KEY.length)))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

export interface RefEntry {
  sessionId: string
  n: number
  ref: string
  oid: Oid
}

/** Loose refs under `refs/paddock/<session>/<n>`, written atomically (temp file + rename). */
export class RefStore {
  private readonly dir: string
  private readonly madeDirs = new Set<string>()

  constructor(
    private readonly fs: CheckpointFs,
    private readonly gitdir: string,
    /** Where temp files are written before their rename (same filesystem as the refs). */
    private readonly tmpDir: string,
  ) {
    this.dir = join(gitdir, REF_PREFIX)
  }

  async sessions(): Promise<string[]> {
    try {
      return (await this.fs.readdir(this.dir))
        .filter((d) => d.isDirectory && d.name !== SAVES_DIR)
        .map((d) => d.name)
    } catch (err) {
      if (isMissing(err)) return []
      throw err
    }
  }

  /** A session's refs, ordered by n. Unreadable or foreign files are skipped. */
  async list(sessionId: string): Promise<RefEntry[]> {
    if (sessionId === SAVES_DIR) return []
    let names: string[]
    try {
      names = (await this.fs.readdir(join(this.dir, sessionId))).map((d) => d.name)
    } catch (err) {
      if (isMissing(err)) return []
      throw err
    }
    const out: RefEntry[] = []
    for (const name of names) {
      if (!/^[1-9][0-9]{0,15}$/.test(name)) continue
      let text: string
      try {
        text = (await this.fs.readFile(join(this.dir, sessionId, name))).toString('latin1').trim()
      } catch (err) {
        if (isMissing(err)) continue
        throw err
      }
      if (!OID_RE.test(text)) continue
      const n = Number(name)
      out.push({ sessionId, n, ref: checkpointRef(sessionId, n), oid: text })
    }
    return out.sort((a, b) => a.n - b.n)
  }

  async all(): Promise<RefEntry[]> {
    const out: RefEntry[] = []
    for (const s of await this.sessions()) out.push(...(await this.list(s)))
    return out
  }

  /**
   * Every other ref under `refs/paddock/` — loose below `deleted/` (a save's slug may be all
   * digits) or in `packed-refs` (after a `git pack-refs` someone ran): GC keeps their whole history.
   */
  async historyRoots(): Promise<Oid[]> {
    const out = new Set<Oid>()
    const visit = async (dir: string): Promise<void> => {
      let entries
      try {
        entries = await this.fs.readdir(dir)
      } catch (err) {
        if (isMissing(err)) return
        throw err
      }
      for (const e of entries) {
        const path = join(dir, e.name)
        if (e.isDirectory) await visit(path)
        else if (e.isFile && !e.name.endsWith('.lock')) {
          try {
            const text = (await this.fs.readFile(path)).toString('latin1').trim()
            if (OID_RE.test(text)) out.add(text)
          } catch (err) {
            if (!isMissing(err)) throw err
          }
        }
      }
    }
    await visit(join(this.dir, SAVES_DIR))
    let packed = ''
    try {
      packed = (await this.fs.readFile(join(this.gitdir, 'packed-refs'))).toString('latin1')
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    for (const line of packed.split('\n')) {
      const [oid, ref] = line.trim().split(' ')
      if (oid && ref?.startsWith(`${REF_PREFIX}/`) && OID_RE.test(oid)) out.add(oid)
    }
    return [...out]
  }

  async write(sessionId: string, n: number, oid: Oid): Promise<string> {
    const dir = join(this.dir, sessionId)
    for (const d of [dir, this.tmpDir]) {
      if (!this.madeDirs.has(d)) {
        await this.fs.mkdir(d, PRIVATE_DIR_MODE)
        this.madeDirs.add(d)
      }
    }
    const tmp = join(this.tmpDir, `ref-${randomBytes(8).toString('hex')}`)
    await this.fs.writeFile(tmp, `${oid}\n`, { exclusive: true, mode: PRIVATE_FILE_MODE })
    try {
      await this.fs.rename(tmp, join(dir, String(n)))
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined)
      throw err
    }
    return checkpointRef(sessionId, n)
  }

  async remove(entry: RefEntry): Promise<void> {
    this.madeDirs.delete(join(this.dir, entry.sessionId))
    try {
      await this.fs.unlink(join(this.dir, entry.sessionId, String(entry.n)))
    } catch (err) {
      if (!isMissing(err)) throw err
    }
  }

  /** Remove a session's folder once it holds no refs (a non-empty folder is left alone). */
  async removeSessionDirIfEmpty(sessionId: string): Promise<void> {
    try {
      await this.fs.rmdir(join(this.dir, sessionId))
    } catch (err) {
      const code = (err as { code?: string }).code
      if (!isMissing(err) && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err
    }
  }
}
