import { join } from 'node:path'
import { hashBlob, readStable, trackedFrom } from './capture'
import { mapLimit } from './concurrency'
import type { CpStat } from '../git/fs-ops'
import type { Oid } from '../git/git-object'
import { deflateLoose } from '../git/object-store'
import type { BulkWriter } from '../git/object-store'
import type { ScanDeps, ScanOutcome } from './scan'
import type { Tracked } from './worktree-state'

/** From this many new objects in one pass, they go into a pack, hashed by worker threads. */
const BULK_MIN_OBJECTS = 64
const BULK_MIN_BYTES = 1024 * 1024
/** A hashing chunk: bounded memory however big the change. */
const CHUNK_FILES = 512
const CHUNK_BYTES = 32 * 1024 * 1024
const READ_CONCURRENCY = 16

type CopyItem = { rel: string; st: CpStat; oid: Oid }
type HashItem = { rel: string; st: CpStat }

/**
 * Put the blobs of changed files into the store and the state: `toCopy` from the user's git
 * objects (their index vouched for them), `toHash` read from the workspace. Many new objects go
 * into one pack (two file creations instead of thousands), hashed and deflated by worker
 * threads; a few go loose, hashed here. Throws only when the store cannot be written.
 */
export async function captureBlobs(
  deps: ScanDeps,
  toCopy: CopyItem[],
  toHash: HashItem[],
  out: ScanOutcome,
  remove: (rel: string) => void,
): Promise<void> {
  const bytes = toHash.reduce((sum, h) => sum + h.st.size, 0)
  const many = toHash.length + toCopy.length >= BULK_MIN_OBJECTS || bytes >= BULK_MIN_BYTES
  const bulk = many ? deps.objects.bulk() : null
  const touched: Tracked[] = []
  const track = (rel: string, t: Tracked): void => {
    deps.state.set(rel, t)
    out.changed.set(rel, t)
    touched.push(t)
  }
  try {
    // Chunks (bounded memory) in a two-stage pipeline: the next chunk is read while the worker
    // hashes and deflates the previous one.
    let tail: Promise<void> = Promise.resolve()
    for (let at = 0; at < toCopy.length; at += CHUNK_FILES) {
      const chunk = toCopy.slice(at, at + CHUNK_FILES)
      const prepared = await prepareCopy(deps, chunk, bulk, track)
      await tail
      tail = finishCopy(deps, prepared, bulk, track).then((failed) => {
        for (const item of failed) toHash.push({ rel: item.rel, st: item.st })
        out.copied += chunk.length - failed.length
      })
    }
    await tail
    let at = 0
    while (at < toHash.length) {
      let bytes = 0
      let end = at
      while (end < toHash.length && end - at < CHUNK_FILES && bytes < CHUNK_BYTES) {
        bytes += toHash[end]!.st.size
        end++
      }
      const read = await readChunk(deps, toHash.slice(at, end), out, remove)
      await tail
      tail = finishHash(deps, read, bulk, out, track)
      at = end
    }
    await tail
    await bulk?.flush()
  } catch (err) {
    // Entries whose blob may not have reached the disk must not be trusted by their stat: they
    // are hashed again when next checked (the store runs a full pass after a failure).
    for (const t of touched) t.racy = true
    throw err
  }
}

interface PreparedCopy {
  failed: CopyItem[]
  need: Array<{ item: CopyItem; content: Buffer }>
}

async function prepareCopy(
  deps: ScanDeps,
  items: CopyItem[],
  bulk: BulkWriter | null,
  track: (rel: string, t: Tracked) => void,
): Promise<PreparedCopy> {
  const seed = deps.seed!
  const failed: CopyItem[] = []
  const need: PreparedCopy['need'] = []
  for (const item of items) {
    if (bulk ? await bulk.has(item.oid) : await deps.objects.has(item.oid)) {
      track(item.rel, trackedFrom(item.st, item.oid, deps.now()))
      continue
    }
    try {
      // Stored whole in one of the user's packs: its compressed bytes go into ours as they are.
      const raw = bulk ? await seed.objects.readRawPacked(item.oid) : null
      if (raw?.type === 'blob') {
        await bulk!.add(raw)
        track(item.rel, trackedFrom(item.st, item.oid, deps.now()))
        deps.unprotected.delete(item.rel)
        continue
      }
      const obj = await seed.objects.read(item.oid)
      if (obj.type === 'blob') need.push({ item, content: obj.content })
      else failed.push(item)
    } catch {
      failed.push(item) // not in the user's store after all (a broken repo)
    }
  }
  return { failed, need }
}

async function finishCopy(
  deps: ScanDeps,
  { failed, need }: PreparedCopy,
  bulk: BulkWriter | null,
  track: (rel: string, t: Tracked) => void,
): Promise<CopyItem[]> {
  const hashed = bulk ? await deps.pool.hash(need.map((n) => n.content)) : null
  for (let i = 0; i < need.length; i++) {
    const { item, content } = need[i]!
    if (bulk) {
      const h = hashed![i]!
      // The content must be what the index says: a damaged object is not copied.
      if (h.oid !== item.oid) {
        failed.push(item)
        continue
      }
      await bulk.add({ oid: h.oid, type: 'blob', size: content.length, deflated: h.deflated })
    } else {
      if (hashBlob(content) !== item.oid) {
        failed.push(item)
        continue
      }
      await deps.objects.writeDeflated(item.oid, deflateLoose('blob', content))
    }
    track(item.rel, trackedFrom(item.st, item.oid, deps.now()))
    deps.unprotected.delete(item.rel)
  }
  return failed
}

type ReadItem = { rel: string; content: Buffer; st: CpStat; stable: boolean }

async function readChunk(
  deps: ScanDeps,
  items: Array<{ rel: string; st: CpStat }>,
  out: ScanOutcome,
  remove: (rel: string) => void,
): Promise<ReadItem[]> {
  const reads = await mapLimit(items, READ_CONCURRENCY, (item) =>
    readStable(deps.fs, join(deps.root, item.rel), item.st),
  )
  const ok: ReadItem[] = []
  items.forEach((item, i) => {
    const r = reads[i]!
    if (r.kind === 'ok') {
      ok.push({ rel: item.rel, content: r.content, st: r.stat, stable: r.stable })
    } else if (r.kind === 'unreadable') {
      if (deps.state.get(item.rel)) remove(item.rel)
      deps.unprotected.set(item.rel, { path: item.rel, reason: 'unreadable', detail: r.detail })
    } else {
      remove(item.rel)
      if (r.kind === 'not-a-file') out.retry.push(item.rel)
    }
  })
  return ok
}

async function finishHash(
  deps: ScanDeps,
  ok: ReadItem[],
  bulk: BulkWriter | null,
  out: ScanOutcome,
  track: (rel: string, t: Tracked) => void,
): Promise<void> {
  const hashed = bulk ? await deps.pool.hash(ok.map((o) => o.content)) : null
  for (let i = 0; i < ok.length; i++) {
    const item = ok[i]!
    let oid: Oid
    if (bulk) {
      const h = hashed![i]!
      oid = h.oid
      await bulk.add({ oid, type: 'blob', size: item.content.length, deflated: h.deflated })
    } else {
      oid = hashBlob(item.content)
      if (!(await deps.objects.has(oid))) {
        await deps.objects.writeDeflated(oid, deflateLoose('blob', item.content))
      }
    }
    const t = trackedFrom(item.st, oid, deps.now())
    if (!item.stable) {
      t.racy = true
      out.retry.push(item.rel)
      deps.unprotected.set(item.rel, {
        path: item.rel,
        reason: 'unstable',
        detail: 'kept changing while it was read; captured as last read, checked again next time',
      })
    } else deps.unprotected.delete(item.rel)
    track(item.rel, t)
    out.hashed++
  }
}
