import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, READ_ONLY_FILE_MODE } from './fs-ops'
import type { CheckpointFs } from './fs-ops'
import type { ObjectType, Oid } from './git-object'

const TYPE_CODES: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 }
const FLUSH_BYTES = 8 * 1024 * 1024

function entryHeader(type: ObjectType, size: number): Buffer {
  const bytes: number[] = []
  let byte = (TYPE_CODES[type] << 4) | (size & 0x0f)
  let rest = Math.floor(size / 16)
  while (rest > 0) {
    bytes.push(byte | 0x80)
    byte = rest & 0x7f
    rest = Math.floor(rest / 128)
  }
  bytes.push(byte)
  return Buffer.from(bytes)
}

/** Deflate an object's content the way a pack entry stores it (no `<type> <size>` header). */
export function deflatePacked(content: Buffer): Buffer {
  return deflateSync(content, { level: 1 })
}

export interface PackEntry {
  oid: Oid
  type: ObjectType
  /** Uncompressed size. */
  size: number
  /** zlib-deflated content. */
  deflated: Buffer
}

export interface WrittenPack {
  packPath: string
  idxPath: string
}

/**
 * Write entries as one version-2 pack (whole objects, no deltas) plus its version-2 index into
 * `<objectsDir>/pack/`, readable by git and isomorphic-git. `count` entries come from `next`, in
 * order. The pack is renamed into place before its index, as git does: readers discover packs
 * through their index, so none sees half of one. Returns null for no entries.
 */
export async function writePackStream(
  fs: CheckpointFs,
  objectsDir: string,
  count: number,
  next: () => Promise<PackEntry>,
): Promise<WrittenPack | null> {
  if (count === 0) return null
  const dir = join(objectsDir, 'pack')
  await fs.mkdir(dir, PRIVATE_DIR_MODE)
  const tag = randomBytes(8).toString('hex')
  const tmpPack = join(dir, `tmp_pack_${tag}`)
  const tmpIdx = join(dir, `tmp_idx_${tag}`)
  const hash = createHash('sha1')
  const entries: Array<{ oid: Oid; offset: number; crc: number }> = []
  let pending: Buffer[] = []
  let pendingBytes = 0
  let offset = 0
  let created = false
  const flush = async (): Promise<void> => {
    const chunk = Buffer.concat(pending)
    pending = []
    pendingBytes = 0
    // Writable while it grows (appending reopens it); read-only once complete, below.
    if (created) await fs.appendFile(tmpPack, chunk, PRIVATE_FILE_MODE)
    else await fs.writeFile(tmpPack, chunk, { exclusive: true, mode: PRIVATE_FILE_MODE })
    created = true
  }
  const push = async (buf: Buffer): Promise<void> => {
    hash.update(buf)
    pending.push(buf)
    pendingBytes += buf.length
    offset += buf.length
    if (pendingBytes >= FLUSH_BYTES) await flush()
  }
  try {
    const head = Buffer.alloc(12)
    head.write('PACK', 0, 'latin1')
    head.writeUInt32BE(2, 4)
    head.writeUInt32BE(count, 8)
    await push(head)
    for (let i = 0; i < count; i++) {
      const e = await next()
      const header = entryHeader(e.type, e.size)
      entries.push({ oid: e.oid, offset, crc: crc32(e.deflated, crc32(header)) })
      await push(header)
      await push(e.deflated)
    }
    const packSha = hash.digest()
    pending.push(packSha)
    await flush()
    await fs.chmod(tmpPack, READ_ONLY_FILE_MODE)
    await fs.writeFile(tmpIdx, buildIndex(entries, packSha), {
      exclusive: true,
      mode: READ_ONLY_FILE_MODE,
    })
    const name = `pack-${packSha.toString('hex')}`
    const packPath = join(dir, `${name}.pack`)
    const idxPath = join(dir, `${name}.idx`)
    await fs.rename(tmpPack, packPath)
    await fs.rename(tmpIdx, idxPath)
    return { packPath, idxPath }
  } catch (err) {
    await fs.unlink(tmpPack).catch(() => undefined)
    await fs.unlink(tmpIdx).catch(() => undefined)
    throw err
  }
}

function buildIndex(
  list: Array<{ oid: Oid; offset: number; crc: number }>,
  packSha: Buffer,
): Buffer {
  const entries = [...list].sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0))
  const n = entries.length
  const big = entries.filter((e) => e.offset >= 0x80000000).length
  const idx = Buffer.alloc(8 + 1024 + n * 28 + big * 8 + 40)
  idx.writeUInt32BE(0xff744f63, 0)
  idx.writeUInt32BE(2, 4)
  const fanout = new Array<number>(256).fill(0)
  for (const e of entries) fanout[parseInt(e.oid.slice(0, 2), 16)]! += 1
  let running = 0
  for (let i = 0; i < 256; i++) {
    running += fanout[i]!
    idx.writeUInt32BE(running, 8 + i * 4)
  }
  let at = 8 + 1024
  for (const e of entries) at += Buffer.from(e.oid, 'hex').copy(idx, at)
  for (const e of entries) at = idx.writeUInt32BE(e.crc >>> 0, at)
  let bigIndex = 0
  const bigOffsets: number[] = []
  for (const e of entries) {
    if (e.offset >= 0x80000000) {
      at = idx.writeUInt32BE((0x80000000 | bigIndex++) >>> 0, at)
      bigOffsets.push(e.offset)
    } else at = idx.writeUInt32BE(e.offset, at)
  }
  for (const off of bigOffsets) at = idx.writeBigUInt64BE(BigInt(off), at)
  at += packSha.copy(idx, at)
  createHash('sha1').update(idx.subarray(0, at)).digest().copy(idx, at)
  return idx
}

export interface PackSource {
  oids: Oid[]
  read(oid: Oid): Promise<{ type: ObjectType; content: Buffer }>
}

/** A pack of `source.oids`, read one at a time (GC: bounded memory however big the store). */
export function writePack(
  fs: CheckpointFs,
  objectsDir: string,
  source: PackSource,
): Promise<WrittenPack | null> {
  let i = 0
  return writePackStream(fs, objectsDir, source.oids.length, async () => {
    const oid = source.oids[i++]!
    const obj = await source.read(oid)
    return { oid, type: obj.type, size: obj.content.length, deflated: deflatePacked(obj.content) }
  })
}
