import { randomBytes } from 'node:crypto'
import * as nodeFs from 'node:fs'
import { join } from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'
import { readObject } from 'isomorphic-git'
import { PRIVATE_DIR_MODE, READ_ONLY_FILE_MODE, errnoCode, isMissing } from './fs-ops'
import type { CheckpointFs } from './fs-ops'
import { hashObject, objectHeader } from './git-object'
import type { ObjectType, Oid } from './git-object'
import { readPackIndex } from './pack-index'
import { PackReader } from './pack-reader'
import { writePackStream } from './pack-writer'
import type { PackEntry, WrittenPack } from './pack-writer'

/** zlib level for loose objects: git's own default (`core.looseCompression` = 1, best speed). */
export const LOOSE_LEVEL = 1
/** A bulk pack is written out once it buffers this much. */
const BULK_FLUSH_BYTES = 64 * 1024 * 1024

export interface GitObject {
  type: ObjectType
  content: Buffer
}

/** Deflate an object the way git stores it loose: `zlib("<type> <size>\0" + content)`. */
export function deflateLoose(type: ObjectType, content: Buffer): Buffer {
  return deflateSync(Buffer.concat([objectHeader(type, content.length), content]), {
    level: LOOSE_LEVEL,
  })
}

export function parseLoose(raw: Buffer, oid: Oid): GitObject {
  const data = inflateSync(raw)
  const nul = data.indexOf(0)
  const m = nul > 0 ? /^(blob|tree|commit|tag) (\d+)$/.exec(data.toString('latin1', 0, nul)) : null
  if (!m || Number(m[2]) !== data.length - nul - 1) throw new Error(`malformed object ${oid}`)
  return { type: m[1] as ObjectType, content: data.subarray(nul + 1) }
}

function notFound(oid: Oid, gitdir: string): Error {
  return Object.assign(new Error(`object ${oid} not found in ${gitdir}`), { code: 'ENOENT' })
}

/**
 * Collects many new objects into one pack instead of one file each (a cold start, a big checkout:
 * thousands of file creations become two). Objects are on disk only after `flush()`.
 */
export class BulkWriter {
  private entries: PackEntry[] = []
  private bytes = 0
  private readonly queued = new Set<Oid>()

  constructor(private readonly store: ObjectStore) {}

  async has(oid: Oid): Promise<boolean> {
    return this.queued.has(oid) || (await this.store.has(oid))
  }

  /** Queue an object whose pack-format deflated bytes the caller made (e.g. a worker). */
  async add(entry: PackEntry): Promise<void> {
    // Claimed before any await: two adds of one object in flight must not both queue it.
    if (this.queued.has(entry.oid)) return
    this.queued.add(entry.oid)
    if (await this.store.has(entry.oid)) return
    this.entries.push(entry)
    this.bytes += entry.deflated.length
    if (this.bytes >= BULK_FLUSH_BYTES) await this.flush()
  }

  async flush(): Promise<void> {
    const entries = this.entries
    this.entries = []
    this.bytes = 0
    let i = 0
    const written = await this.store.writePackOf(entries.length, async () => entries[i++]!)
    if (written) await this.store.addPack(written)
    this.queued.clear()
  }
}

/**
 * The object database of a git directory — ours (read and write) or the user's (read only).
 * Writes loose objects itself (hash, deflate at level 1, temp file + rename: a reader or a crash
 * never sees half an object, and real git reads them) and packs for bulk writes; reads loose
 * objects and packs itself, with isomorphic-git's `readObject` as the fallback for pack formats
 * it does not know (version-1 indexes).
 */
export class ObjectStore {
  readonly objectsDir: string
  /** Objects known to exist: written or seen by this process. */
  private readonly known = new Set<Oid>()
  private readonly fanoutDirs = new Set<string>()
  private packs: PackReader[] | null = null
  private legacyPacks = false
  /** Every loose object is in `known` (listed once): a miss there needs no lstat. */
  private looseListed = false
  private isoCache: object = {}

  constructor(
    private readonly fs: CheckpointFs,
    /** The git directory whose `objects/` this is (for a linked worktree: the common dir). */
    readonly gitdir: string,
  ) {
    this.objectsDir = join(gitdir, 'objects')
  }

  loosePath(oid: Oid): string {
    return join(this.objectsDir, oid.slice(0, 2), oid.slice(2))
  }

  /** Forget what we know about packs and folders (after a GC changed them). */
  async invalidatePacks(): Promise<void> {
    for (const p of this.packs ?? []) await p.close()
    this.packs = null
    this.legacyPacks = false
    this.isoCache = {}
    this.fanoutDirs.clear()
  }

  async packReaders(): Promise<PackReader[]> {
    if (!this.packs) {
      const dir = join(this.objectsDir, 'pack')
      const found: PackReader[] = []
      let names: string[] = []
      try {
        names = (await this.fs.readdir(dir)).map((d) => d.name)
      } catch (err) {
        if (!isMissing(err)) throw err
      }
      for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
        const reader = await this.openPack(join(dir, name))
        if (reader) found.push(reader)
      }
      this.packs = found
    }
    return this.packs
  }

  private async openPack(idxPath: string): Promise<PackReader | null> {
    let packSize: number
    try {
      packSize = (await this.fs.lstat(idxPath.replace(/\.idx$/, '.pack'))).size
    } catch (err) {
      // An index without its pack (a GC interrupted between the two renames) is skipped.
      if (isMissing(err)) return null
      throw err
    }
    try {
      const index = readPackIndex(await this.fs.readFile(idxPath), idxPath, packSize)
      return new PackReader(index, packSize, (oid) => this.read(oid))
    } catch {
      this.legacyPacks = true // an index format we do not read: isomorphic-git does
      return null
    }
  }

  /** Register a pack just written. */
  async addPack(written: WrittenPack): Promise<void> {
    const reader = await this.openPack(written.idxPath)
    if (this.packs && reader) this.packs.push(reader)
  }

  /**
   * List every loose object once, so `has` answers from memory. Only for the store's single
   * writer (the lock guarantees nobody else adds or removes objects meanwhile).
   */
  async listAllLoose(): Promise<void> {
    for (const oid of await this.listLoose()) this.known.add(oid)
    this.looseListed = true
  }

  async has(oid: Oid): Promise<boolean> {
    if (this.known.has(oid)) return true
    for (const pack of await this.packReaders()) {
      if (pack.has(oid)) {
        this.known.add(oid)
        return true
      }
    }
    if (this.looseListed) return false
    try {
      await this.fs.lstat(this.loosePath(oid))
      this.known.add(oid)
      return true
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    return false
  }

  forget(oid: Oid): void {
    this.known.delete(oid)
  }

  /** Write `content` as a loose object (if absent); returns its id. */
  async write(type: ObjectType, content: Buffer): Promise<Oid> {
    const oid = hashObject(type, content)
    if (!(await this.has(oid))) await this.writeDeflated(oid, deflateLoose(type, content))
    return oid
  }

  /** Store an already deflated loose object whose id the caller computed. */
  async writeDeflated(oid: Oid, deflated: Buffer): Promise<void> {
    const dir = join(this.objectsDir, oid.slice(0, 2))
    if (!this.fanoutDirs.has(dir)) {
      await this.fs.mkdir(dir, PRIVATE_DIR_MODE)
      this.fanoutDirs.add(dir)
    }
    // `tmp_obj_` is the prefix git itself uses, so `git fsck` ignores a leftover after a crash.
    const tmp = join(this.objectsDir, `tmp_obj_${randomBytes(8).toString('hex')}`)
    await this.fs.writeFile(tmp, deflated, { exclusive: true, mode: READ_ONLY_FILE_MODE })
    try {
      await this.fs.rename(tmp, this.loosePath(oid))
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined)
      throw err
    }
    this.known.add(oid)
  }

  bulk(): BulkWriter {
    return new BulkWriter(this)
  }

  writePackOf(count: number, next: () => Promise<PackEntry>): Promise<WrittenPack | null> {
    return writePackStream(this.fs, this.objectsDir, count, next)
  }

  /** A packed object's compressed bytes, if it is stored whole in one of the packs (else null). */
  async readRawPacked(oid: Oid): Promise<PackEntry | null> {
    for (const pack of await this.packReaders()) {
      if (!pack.has(oid)) continue
      const raw = await pack.readRaw(oid)
      return raw ? { oid, ...raw } : null
    }
    return null
  }

  /** Read an object, packed or loose; throws with `code: 'ENOENT'` when absent. */
  async read(oid: Oid): Promise<GitObject> {
    for (const pack of await this.packReaders()) {
      if (!pack.has(oid)) continue
      const found = await pack.read(oid)
      if (found) return found
    }
    try {
      return parseLoose(await this.fs.readFile(this.loosePath(oid)), oid)
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    if (!this.legacyPacks) throw notFound(oid, this.gitdir)
    try {
      const result = await readObject({
        fs: nodeFs,
        gitdir: this.gitdir,
        oid,
        format: 'content',
        cache: this.isoCache,
      })
      if (!(result.object instanceof Uint8Array)) throw new Error(`unexpected object ${oid}`)
      return { type: result.type as ObjectType, content: Buffer.from(result.object) }
    } catch (err) {
      if (errnoCode(err) === 'NotFoundError') throw notFound(oid, this.gitdir)
      throw err
    }
  }

  /** Every loose object id (for GC). */
  async listLoose(): Promise<Oid[]> {
    const out: Oid[] = []
    let dirs: string[] = []
    try {
      dirs = (await this.fs.readdir(this.objectsDir))
        .filter((d) => d.isDirectory)
        .map((d) => d.name)
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    for (const dir of dirs) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue
      for (const e of await this.fs.readdir(join(this.objectsDir, dir))) {
        if (/^[0-9a-f]{38}$/.test(e.name)) out.push(dir + e.name)
      }
    }
    return out
  }

  async deleteLoose(oid: Oid): Promise<void> {
    try {
      await this.fs.unlink(this.loosePath(oid))
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    this.known.delete(oid)
  }

  async close(): Promise<void> {
    for (const p of this.packs ?? []) await p.close()
    this.packs = null
  }
}
