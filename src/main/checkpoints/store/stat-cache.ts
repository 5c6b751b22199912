import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import { isMissing } from './errors'
import { PRIVATE_FILE_MODE } from '../git/fs-ops'
import type { CheckpointFs } from '../git/fs-ops'
import { OID_RE } from '../git/git-object'
import type { Tracked } from './worktree-state'

/**
 * The persisted stat cache: a base file (every entry) plus an append-only log of changes since,
 * compacted into a new base when the log grows. It is only a cache — every entry is checked
 * against the file's stat before it is trusted — so a torn log line after a crash, a lost append
 * or a deleted file only costs re-hashing. Entry: path → git mode, blob id, and the stat it had.
 */
const VERSION = 1

const EntrySchema = z.tuple([
  z.string().min(1), // path
  z.number().int(), // git mode
  z.string().regex(OID_RE),
  z.number().nonnegative(), // size
  z.number(), // mtimeMs
  z.number(), // ctimeMs
  z.number().nonnegative(), // ino
  z.number().int(), // st_mode
  z.union([z.literal(0), z.literal(1)]), // racy
])
type Entry = z.infer<typeof EntrySchema>

const BaseSchema = z.object({
  v: z.literal(VERSION),
  root: z.string(),
  /** The workspace's latest checkpoint when written (what the next snapshot compares with). */
  latest: z.string().regex(OID_RE).nullable(),
  entries: z.array(EntrySchema),
})

const LogLineSchema = z.union([
  z.tuple([z.literal('set')]).rest(z.unknown()),
  z.tuple([z.literal('del'), z.string().min(1)]),
  z.tuple([z.literal('latest'), z.string().regex(OID_RE)]),
])

export interface LoadedCache {
  entries: Map<string, Tracked>
  latest: string | null
}

function toEntry(path: string, t: Tracked): Entry {
  return [path, t.mode, t.oid, t.size, t.mtimeMs, t.ctimeMs, t.ino, t.stMode, t.racy ? 1 : 0]
}

function fromEntry(e: Entry): Tracked {
  return {
    mode: e[1],
    oid: e[2],
    size: e[3],
    mtimeMs: e[4],
    ctimeMs: e[5],
    ino: e[6],
    stMode: e[7],
    racy: e[8] === 1,
  }
}

export class StatCacheFile {
  private readonly basePath: string
  private readonly logPath: string
  private logLines = 0
  /** Last recorded latest checkpoint (carried into a rewritten base). */
  private latest: string | null = null

  constructor(
    private readonly fs: CheckpointFs,
    dir: string,
    private readonly root: string,
  ) {
    this.basePath = join(dir, 'stat-cache.json')
    this.logPath = join(dir, 'stat-cache.log')
  }

  /** The cached entries (empty when there is no usable cache) and the latest checkpoint. */
  async load(): Promise<LoadedCache> {
    const out = new Map<string, Tracked>()
    const empty = { entries: out, latest: null }
    let baseText: string
    try {
      baseText = (await this.fs.readFile(this.basePath)).toString('utf8')
    } catch (err) {
      if (isMissing(err)) return empty
      throw err
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(baseText)
    } catch {
      return empty
    }
    const base = BaseSchema.safeParse(parsed)
    if (!base.success || base.data.root !== this.root) return empty
    this.latest = base.data.latest
    for (const e of base.data.entries) out.set(e[0], fromEntry(e))
    let logText = ''
    try {
      logText = (await this.fs.readFile(this.logPath)).toString('utf8')
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    for (const line of logText.split('\n')) {
      if (!line) continue
      this.logLines++
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        break // a line torn by a crash: the rest is not trusted
      }
      const op = LogLineSchema.safeParse(value)
      if (!op.success) break
      if (op.data[0] === 'del') out.delete(op.data[1] as string)
      else if (op.data[0] === 'latest') this.latest = op.data[1] as string
      else {
        const entry = EntrySchema.safeParse((value as unknown[]).slice(1))
        if (!entry.success) break
        out.set(entry.data[0], fromEntry(entry.data))
      }
    }
    return { entries: out, latest: this.latest }
  }

  /**
   * Record changes — `set` entries, deleted paths, a new latest checkpoint — in one append.
   * Compacts when the log outgrows the base.
   */
  async append(
    changed: Iterable<[string, Tracked | undefined]>,
    all: Map<string, Tracked>,
    latest?: string,
  ): Promise<void> {
    const lines: string[] = []
    for (const [path, t] of changed) {
      lines.push(JSON.stringify(t ? ['set', ...toEntry(path, t)] : ['del', path]))
    }
    if (latest && latest !== this.latest) {
      lines.push(JSON.stringify(['latest', latest]))
      this.latest = latest
    }
    if (lines.length === 0) return
    if (this.logLines + lines.length > Math.max(2000, all.size / 2)) {
      await this.rewrite(all)
      return
    }
    await this.fs.appendFile(this.logPath, `${lines.join('\n')}\n`, PRIVATE_FILE_MODE)
    this.logLines += lines.length
  }

  /** Write every entry as the new base (temp file + rename) and start an empty log. */
  async rewrite(all: Map<string, Tracked>): Promise<void> {
    const entries: Entry[] = []
    for (const [path, t] of all) entries.push(toEntry(path, t))
    const text = JSON.stringify({ v: VERSION, root: this.root, latest: this.latest, entries })
    const tag = randomBytes(6).toString('hex')
    const tmp = `${this.basePath}.${tag}.tmp`
    await this.fs.writeFile(tmp, text, { mode: PRIVATE_FILE_MODE })
    const tmpLog = `${this.logPath}.${tag}.tmp`
    await this.fs.writeFile(tmpLog, '', { mode: PRIVATE_FILE_MODE })
    // Base first: a crash between the renames leaves the old log on the new base, whose entries
    // are then merely stale — and stale entries are caught by their stat.
    await this.fs.rename(tmp, this.basePath)
    await this.fs.rename(tmpLog, this.logPath)
    this.logLines = 0
  }
}
