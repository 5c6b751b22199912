import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
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

export interface PackSource {
  oids: Oid[]
  read(oid: Oid): Promise<{ type: ObjectType; content: Buffer }>
}

/**
 * Write `oids` as one version-2 pack (whole objects, no deltas) plus its version-2 index into
 * `<objectsDir>/pack/`, readable by git and isomorphic-git. The pack is renamed into place before
 * its index, as git does: a reader discovers packs through their index, so it never sees half of
 * one. Returns the final `.pack` path, or null for no objects.
 */
export async function writePack(
  fs: CheckpointFs,
  objectsDir: string,
  source: PackSource,
): Promise<string | null> {
  if (source.oids.length === 0) return null
  const dir = join(objectsDir, 'pack')
  await fs.mkdir(dir)
  const tag = randomBytes(8).toString('hex')
  const tmpPack = join(dir, `tmp_pack_${tag}`)
  const tmpIdx = join(dir, `tmp_idx_${tag}`)
  const hash = createHash('sha1')
  const entries: Array<{ oid: Oid; offset: number; crc: number }> = []
  let pending: Buffer[] = []
  let pendingBytes = 0
  let offset = 0
  let created = false
  const push = async (buf: Buffer, force = false, hashed = true): Promise<void> => {
    if (hashed) hash.update(buf)
    pending.push(buf)
    pendingBytes += buf.length
    offset += buf.length
    if (pendingBytes >= FLUSH_BYTES || force) {
      const chunk = Buffer.concat(pending)
      pending = []
      pendingBytes = 0
      if (created) await fs.appendFile(tmpPack, chunk)
      else await fs.writeFile(tmpPack, chunk, { exclusive: true, mode: 0o444 })
      created = true
    }
  }
  try {
    const head = Buffer.alloc(12)
    head.write('PACK', 0, 'latin1')
    head.writeUInt32BE(2, 4)
    head.writeUInt32BE(source.oids.length, 8)
    await push(head)
    for (const oid of source.oids) {
      const obj = await source.read(oid)
      const body = Buffer.concat([
        entryHeader(obj.type, obj.content.length),
        deflateSync(obj.content),
      ])
      entries.push({ oid, offset, crc: crc32(body) })
      await push(body)
    }
    const packSha = hash.digest()
    await push(packSha, true, false)

    entries.sort((a, b) => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0))
    const n = entries.length
    const big = entries.filter((e) => e.offset >= 0x80000000)
    const idx = Buffer.alloc(8 + 1024 + n * 28 + big.length * 8 + 40)
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
    await fs.writeFile(tmpIdx, idx, { exclusive: true, mode: 0o444 })
    const name = `pack-${packSha.toString('hex')}`
    await fs.rename(tmpPack, join(dir, `${name}.pack`))
    await fs.rename(tmpIdx, join(dir, `${name}.idx`))
    return join(dir, `${name}.pack`)
  } catch (err) {
    await fs.unlink(tmpPack).catch(() => undefined)
    await fs.unlink(tmpIdx).catch(() => undefined)
    throw err
  }
}
