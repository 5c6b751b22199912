import { randomBytes } from 'node:crypto'
import * as nodeFs from 'node:fs'
import { join } from 'node:path'
import { deflateSync, inflateSync } from 'node:zlib'
import { readObject } from 'isomorphic-git'
import { errnoCode, isMissing } from './errors'
import type { CheckpointFs } from './fs-ops'
import { hashObject, objectHeader } from './git-object'
import type { ObjectType, Oid } from './git-object'
import { readPackIndex } from './pack-index'
import type { PackIndex } from './pack-index'

/** zlib level for loose objects: git's own default (`core.looseCompression` = 1, best speed). */
export const LOOSE_LEVEL = 1

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

/**
 * The object database of a git directory — ours (read and write) or the user's (read only). Writes
 * loose objects itself (hash, deflate at level 1, temp file + rename: a reader or a crash never
 * sees half an object, and real git reads them); reads loose objects itself and packed ones
 * through isomorphic-git's `readObject`, which knows packs, indexes and deltas.
 */
export class ObjectStore {
  readonly objectsDir: string
  /** Objects known to exist: written or seen by this process. */
  private readonly known = new Set<Oid>()
  private readonly fanoutDirs = new Set<string>()
  private packs: PackIndex[] | null = null
  /** isomorphic-git's pack cache; replaced when our packs change. */
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
  invalidatePacks(): void {
    this.packs = null
    this.isoCache = {}
    this.fanoutDirs.clear()
  }

  async packIndexes(): Promise<PackIndex[]> {
    if (!this.packs) {
      const dir = join(this.objectsDir, 'pack')
      const found: PackIndex[] = []
      let names: string[] = []
      try {
        names = (await this.fs.readdir(dir)).map((d) => d.name)
      } catch (err) {
        if (!isMissing(err)) throw err
      }
      for (const name of names.filter((n) => n.endsWith('.idx')).sort()) {
        const idx = join(dir, name)
        const pack = idx.replace(/\.idx$/, '.pack')
        let packSize: number
        try {
          packSize = (await this.fs.lstat(pack)).size
        } catch (err) {
          // An index without its pack (a GC interrupted between the two renames) is skipped.
          if (isMissing(err)) continue
          throw err
        }
        found.push(readPackIndex(await this.fs.readFile(idx), idx, packSize))
      }
      this.packs = found
    }
    return this.packs
  }

  async has(oid: Oid): Promise<boolean> {
    if (this.known.has(oid)) return true
    try {
      await this.fs.lstat(this.loosePath(oid))
      this.known.add(oid)
      return true
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    for (const pack of await this.packIndexes()) {
      if (pack.offsets.has(oid)) {
        this.known.add(oid)
        return true
      }
    }
    return false
  }

  /** Remember that `oid` exists without checking (the caller just verified or wrote it). */
  markKnown(oid: Oid): void {
    this.known.add(oid)
  }

  forget(oid: Oid): void {
    this.known.delete(oid)
  }

  /** Write `content` as an object (if absent); returns its id. */
  async write(type: ObjectType, content: Buffer): Promise<Oid> {
    const oid = hashObject(type, content)
    if (!(await this.has(oid))) await this.writeDeflated(oid, deflateLoose(type, content))
    return oid
  }

  /** Store an already deflated loose object whose id the caller computed. */
  async writeDeflated(oid: Oid, deflated: Buffer): Promise<void> {
    const dir = join(this.objectsDir, oid.slice(0, 2))
    if (!this.fanoutDirs.has(dir)) {
      await this.fs.mkdir(dir)
      this.fanoutDirs.add(dir)
    }
    // `tmp_obj_` is the prefix git itself uses, so `git fsck` ignores a leftover after a crash.
    const tmp = join(this.objectsDir, `tmp_obj_${randomBytes(8).toString('hex')}`)
    await this.fs.writeFile(tmp, deflated, { exclusive: true, mode: 0o444 })
    try {
      await this.fs.rename(tmp, this.loosePath(oid))
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined)
      throw err
    }
    this.known.add(oid)
  }

  /** Copy a loose object file from another object database (same format: no re-deflate). */
  async copyLooseFrom(source: ObjectStore, oid: Oid): Promise<boolean> {
    const dir = join(this.objectsDir, oid.slice(0, 2))
    if (!this.fanoutDirs.has(dir)) {
      await this.fs.mkdir(dir)
      this.fanoutDirs.add(dir)
    }
    const tmp = join(this.objectsDir, `tmp_obj_${randomBytes(8).toString('hex')}`)
    try {
      await this.fs.copyFile(source.loosePath(oid), tmp)
    } catch (err) {
      if (isMissing(err)) return false
      throw err
    }
    try {
      await this.fs.rename(tmp, this.loosePath(oid))
    } catch (err) {
      await this.fs.unlink(tmp).catch(() => undefined)
      throw err
    }
    this.known.add(oid)
    return true
  }

  /** Read an object, loose or packed; throws `NotFound`-like errors (`code: 'ENOENT'`) if absent. */
  async read(oid: Oid): Promise<GitObject> {
    let raw: Buffer | null = null
    try {
      raw = await this.fs.readFile(this.loosePath(oid))
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    if (raw) return parseLoose(raw, oid)
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
      if (errnoCode(err) === 'NotFoundError') {
        throw Object.assign(new Error(`object ${oid} not found in ${this.gitdir}`), {
          code: 'ENOENT',
        })
      }
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
}
