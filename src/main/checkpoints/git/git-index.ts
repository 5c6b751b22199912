import { createHash } from 'node:crypto'
import type { Oid } from './git-object'

/** One stage-0 entry of a git index, with the stat data git recorded when it hashed the file. */
export interface IndexEntry {
  path: string
  mode: number
  oid: Oid
  size: number
  mtimeSec: number
  mtimeNsec: number
  ctimeSec: number
  ctimeNsec: number
  ino: number
  /** Stage-0 entries git would not check out as-is: skip-worktree, intent-to-add. */
  untrusted: boolean
}

export type ParsedIndex =
  | { ok: true; version: number; entries: IndexEntry[] }
  /** Why we will not seed from this index (the store then hashes every file itself). */
  | { ok: false; reason: string }

const SPARSE_DIR_MODE = 0o40000

/**
 * Parse a git index (`.git/index`) of version 2, 3 or 4. A split index (`link` extension) or a
 * sparse index is refused — those entries do not describe every file — as is a bad checksum; the
 * caller then falls back to hashing. Conflicted (stage > 0) entries are dropped.
 */
export function parseGitIndex(buf: Buffer): ParsedIndex {
  if (buf.length < 12 + 20 || buf.toString('latin1', 0, 4) !== 'DIRC') {
    return { ok: false, reason: 'not a git index' }
  }
  const version = buf.readUInt32BE(4)
  if (version < 2 || version > 4) return { ok: false, reason: `index version ${version}` }
  const body = buf.subarray(0, buf.length - 20)
  const sum = createHash('sha1').update(body).digest()
  if (!sum.equals(buf.subarray(buf.length - 20))) return { ok: false, reason: 'index checksum' }
  const count = buf.readUInt32BE(8)
  const entries: IndexEntry[] = []
  let at = 12
  let prev: Buffer = Buffer.alloc(0)
  for (let i = 0; i < count; i++) {
    if (at + 62 > body.length) return { ok: false, reason: 'truncated index' }
    const start = at
    const ctimeSec = buf.readUInt32BE(at)
    const ctimeNsec = buf.readUInt32BE(at + 4)
    const mtimeSec = buf.readUInt32BE(at + 8)
    const mtimeNsec = buf.readUInt32BE(at + 12)
    const ino = buf.readUInt32BE(at + 20)
    const mode = buf.readUInt32BE(at + 24)
    const size = buf.readUInt32BE(at + 36)
    const oid = buf.toString('hex', at + 40, at + 60)
    const flags = buf.readUInt16BE(at + 60)
    at += 62
    let extended = 0
    if (flags & 0x4000) {
      if (version < 3) return { ok: false, reason: 'extended flag in a version 2 index' }
      extended = buf.readUInt16BE(at)
      at += 2
    }
    const stage = (flags >> 12) & 3
    let name: Buffer
    if (version === 4) {
      // Prefix compression: drop N bytes from the previous path, then append a NUL-ended suffix.
      let c = buf[at++]!
      let strip = c & 0x7f
      while (c & 0x80) {
        c = buf[at++]!
        strip = ((strip + 1) << 7) | (c & 0x7f)
      }
      const nul = buf.indexOf(0, at)
      if (nul < 0 || strip > prev.length) return { ok: false, reason: 'bad v4 path' }
      name = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(at, nul)])
      at = nul + 1
    } else {
      const nul = buf.indexOf(0, at)
      if (nul < 0) return { ok: false, reason: 'bad path' }
      name = buf.subarray(at, nul)
      // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
      at = start + Math.ceil((nul + 1 - start) / 8) * 8
    }
    prev = name
    if (mode === SPARSE_DIR_MODE) return { ok: false, reason: 'sparse index' }
    if (stage !== 0) continue
    entries.push({
      path: name.toString('utf8'),
      mode,
      oid,
      size,
      mtimeSec,
      mtimeNsec,
      ctimeSec,
      ctimeNsec,
      ino,
      untrusted: (extended & 0x6000) !== 0,
    })
  }
  // Extensions: refuse a split index; the others (trees, untracked cache, …) do not matter here.
  while (at + 8 <= body.length) {
    const sig = buf.toString('latin1', at, at + 4)
    const size = buf.readUInt32BE(at + 4)
    if (sig === 'link') return { ok: false, reason: 'split index' }
    if (sig === 'sdir') return { ok: false, reason: 'sparse index' }
    at += 8 + size
  }
  return { ok: true, version, entries }
}
