import { open, readFile } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { crc32, inflateSync } from 'node:zlib'
import type { ObjectType, Oid } from './git-object'
import type { PackIndex } from './pack-index'

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' }
const OFS_DELTA = 6
const REF_DELTA = 7
/** Packs up to this size are read into memory whole; bigger ones by positioned reads. */
const IN_MEMORY_MAX = 64 * 1024 * 1024
/** Bytes of recently read objects kept (delta chains share their bases); bigger ones are not kept. */
const CACHE_BYTES = 32 * 1024 * 1024
const CACHE_ITEM_MAX = 4 * 1024 * 1024

export interface PackedObject {
  type: ObjectType
  content: Buffer
}

/** Apply a git delta (copy/insert instructions) to `base`. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0
  const varint = (): number => {
    let value = 0
    let shift = 0
    let byte: number
    do {
      byte = delta[at++]!
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80)
    return value
  }
  const srcSize = varint()
  if (srcSize !== base.length) throw new Error('delta base size mismatch')
  const out = Buffer.alloc(varint())
  let written = 0
  while (at < delta.length) {
    const op = delta[at++]!
    if (op & 0x80) {
      let offset = 0
      let size = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[at++]! * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[at++]! * 2 ** (8 * i)
      if (size === 0) size = 0x10000
      written += base.copy(out, written, offset, offset + size)
    } else if (op > 0) {
      written += delta.copy(out, written, at, at + op)
      at += op
    } else throw new Error('bad delta instruction')
  }
  if (written !== out.length) throw new Error('delta result size mismatch')
  return out
}

/**
 * Reads objects out of one pack (whole or deltified, offset or ref deltas) using its index. Used
 * for the user's packs at a cold start (thousands of blobs in a row) and for our own packs.
 */
export class PackReader {
  private data: Buffer | null = null
  private handle: FileHandle | null = null
  private readonly ends = new Map<number, number>()
  private readonly bases = new Map<number, PackedObject>()
  private cachedBytes = 0

  constructor(
    readonly index: PackIndex,
    private readonly packSize: number,
    /** Resolves a REF_DELTA base that lives outside this pack (thin packs do not occur on disk). */
    private readonly external: (oid: Oid) => Promise<PackedObject>,
  ) {
    const offsets = [...index.offsets.values()].sort((a, b) => a - b)
    for (let i = 0; i < offsets.length; i++) {
      this.ends.set(offsets[i]!, offsets[i + 1] ?? packSize - 20)
    }
  }

  has(oid: Oid): boolean {
    return this.index.offsets.has(oid)
  }

  /**
   * A whole (not deltified) entry's compressed bytes as they are — what a pack of ours stores for
   * the same object — checked against the index's CRC-32. Null for a delta or a damaged entry.
   */
  async readRaw(oid: Oid): Promise<{ type: ObjectType; size: number; deflated: Buffer } | null> {
    const offset = this.index.offsets.get(oid)
    const end = offset === undefined ? undefined : this.ends.get(offset)
    if (offset === undefined || end === undefined) return null
    const entry = await this.bytes(offset, end)
    if (crc32(entry) >>> 0 !== this.index.crcs.get(oid)) return null
    let at = 0
    let byte = entry[at++]!
    const type = TYPES[(byte >> 4) & 7]
    let size = byte & 0x0f
    let shift = 4
    while (byte & 0x80) {
      byte = entry[at++]!
      size += (byte & 0x7f) * 2 ** shift
      shift += 7
    }
    return type ? { type, size, deflated: entry.subarray(at) } : null
  }

  async read(oid: Oid): Promise<PackedObject | null> {
    const offset = this.index.offsets.get(oid)
    return offset === undefined ? null : this.readAt(offset)
  }

  private async bytes(offset: number, end: number): Promise<Buffer> {
    if (!this.data && !this.handle) {
      if (this.packSize <= IN_MEMORY_MAX) this.data = await readFile(this.index.packPath)
      else this.handle = await open(this.index.packPath, 'r')
    }
    if (this.data) return this.data.subarray(offset, end)
    const buf = Buffer.alloc(end - offset)
    await this.handle!.read(buf, 0, buf.length, offset)
    return buf
  }

  private async readAt(offset: number): Promise<PackedObject> {
    const cached = this.bases.get(offset)
    if (cached) return cached
    const end = this.ends.get(offset)
    if (end === undefined) throw new Error(`no pack entry at ${offset} in ${this.index.packPath}`)
    const entry = await this.bytes(offset, end)
    let at = 0
    let byte = entry[at++]!
    const kind = (byte >> 4) & 7
    while (byte & 0x80) byte = entry[at++]!
    let result: PackedObject
    if (kind === OFS_DELTA) {
      byte = entry[at++]!
      let back = byte & 0x7f
      while (byte & 0x80) {
        byte = entry[at++]!
        back = (back + 1) * 128 + (byte & 0x7f)
      }
      const base = await this.readAt(offset - back)
      result = {
        type: base.type,
        content: applyDelta(base.content, inflateSync(entry.subarray(at))),
      }
    } else if (kind === REF_DELTA) {
      const baseOid = entry.toString('hex', at, at + 20)
      const baseOffset = this.index.offsets.get(baseOid)
      const base =
        baseOffset !== undefined ? await this.readAt(baseOffset) : await this.external(baseOid)
      result = {
        type: base.type,
        content: applyDelta(base.content, inflateSync(entry.subarray(at + 20))),
      }
    } else {
      const type = TYPES[kind]
      if (!type) throw new Error(`unknown pack entry type ${kind}`)
      result = { type, content: inflateSync(entry.subarray(at)) }
    }
    if (result.content.length <= CACHE_ITEM_MAX) {
      while (this.cachedBytes + result.content.length > CACHE_BYTES && this.bases.size > 0) {
        const [oldest, obj] = this.bases.entries().next().value!
        this.bases.delete(oldest)
        this.cachedBytes -= obj.content.length
      }
      this.bases.set(offset, result)
      this.cachedBytes += result.content.length
    }
    return result
  }

  async close(): Promise<void> {
    this.data = null
    this.bases.clear()
    this.cachedBytes = 0
    await this.handle?.close()
    this.handle = null
  }
}
