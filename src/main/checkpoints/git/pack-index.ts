import type { Oid } from './git-object'

/** What GC and `has` need from a pack's `.idx` (version 2): which objects, where, how big. */
export interface PackIndex {
  idxPath: string
  packPath: string
  /** Object id → byte offset of its entry in the `.pack`. */
  offsets: Map<Oid, number>
  /** Object id → bytes its entry takes in the `.pack` (header + compressed data). */
  sizes: Map<Oid, number>
  /** Object id → CRC-32 of its entry's bytes in the `.pack`. */
  crcs: Map<Oid, number>
}

const MAGIC = 0xff744f63

/** `packSize`: the `.pack` file's size, to size its last entry (0 if unknown). */
export function readPackIndex(buf: Buffer, idxPath: string, packSize = 0): PackIndex {
  if (buf.length < 8 + 256 * 4 || buf.readUInt32BE(0) !== MAGIC || buf.readUInt32BE(4) !== 2) {
    throw new Error(`${idxPath}: not a version 2 pack index`)
  }
  const count = buf.readUInt32BE(8 + 255 * 4)
  const shaStart = 8 + 256 * 4
  const crcStart = shaStart + count * 20
  const offStart = crcStart + count * 4
  const bigStart = offStart + count * 4
  if (buf.length < bigStart + 40) throw new Error(`${idxPath}: truncated pack index`)
  const offsets = new Map<Oid, number>()
  const crcs = new Map<Oid, number>()
  const list: Array<[Oid, number]> = []
  for (let i = 0; i < count; i++) {
    const oid = buf.toString('hex', shaStart + i * 20, shaStart + i * 20 + 20)
    crcs.set(oid, buf.readUInt32BE(crcStart + i * 4))
    let off = buf.readUInt32BE(offStart + i * 4)
    if (off & 0x80000000) {
      const at = bigStart + (off & 0x7fffffff) * 8
      off = Number(buf.readBigUInt64BE(at))
    }
    offsets.set(oid, off)
    list.push([oid, off])
  }
  // Entry sizes from consecutive offsets; the last entry ends before the 20-byte trailer.
  list.sort((a, b) => a[1] - b[1])
  const sizes = new Map<Oid, number>()
  for (let i = 0; i < list.length; i++) {
    const [oid, off] = list[i]!
    const next = list[i + 1]
    sizes.set(oid, next ? next[1] - off : Math.max(0, packSize - 20 - off))
  }
  return { idxPath, packPath: idxPath.replace(/\.idx$/, '.pack'), offsets, sizes, crcs }
}
