import { join } from 'node:path'
import { readStable, sameStat, hashBlob, trackedFrom } from './capture'
import { describeError, isMissing } from './errors'
import type { CheckpointFs, CpStat } from './fs-ops'
import { MODE_GITLINK, MODE_LINK, MODE_TREE, gitModeOf } from './git-object'
import type { Oid } from './git-object'
import type { IndexEntry } from './git-index'
import type { HashPool } from './hash-pool'
import type { IgnoreRules } from './ignore-rules'
import { deflateLoose } from './object-store'
import type { BulkWriter, ObjectStore } from './object-store'
import type { Unprotected } from './types'
import type { Tracked, WorktreeState } from './worktree-state'

/** The user's git index, to trust its blob ids instead of hashing (cold start in a repository). */
export interface Seed {
  /** Stage-0 entries by path relative to the workspace root. */
  entries: Map<string, IndexEntry>
  /** The index file's mtime: entries not older than it are racy and not trusted. */
  indexMtimeMs: number
  /** The user's object database (read only) to copy the blobs from. */
  objects: ObjectStore
}

export interface ScanDeps {
  fs: CheckpointFs
  root: string
  state: WorktreeState
  rules: IgnoreRules
  objects: ObjectStore
  pool: HashPool
  sizeCap: number
  /** Root-relative folders never captured (the store or data dir, when inside the workspace). */
  excluded: string[]
  unprotected: Map<string, Unprotected>
  seed: Seed | null
  /** Wall clock (ms). */
  now: () => number
}

export interface ScanOutcome {
  /** Stat-cache entries that changed: path → new entry, or undefined when removed. */
  changed: Map<string, Tracked | undefined>
  /** Paths to check again at the next snapshot (they kept changing while read). */
  retry: string[]
  hashed: number
  copied: number
}

/** From this many new objects in one pass, they go into a pack, hashed by worker threads. */
const BULK_MIN_OBJECTS = 64
const BULK_MIN_BYTES = 1024 * 1024
/** A hashing chunk: bounded memory however big the change. */
const CHUNK_FILES = 512
const CHUNK_BYTES = 32 * 1024 * 1024
const STAT_CONCURRENCY = 48
const WALK_CONCURRENCY = 8
const READ_CONCURRENCY = 16

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

function isGitPath(rel: string): boolean {
  return (
    rel === '.git' || rel.startsWith('.git/') || rel.includes('/.git/') || rel.endsWith('/.git')
  )
}

interface Candidate {
  rel: string
  st: CpStat | null
}

/**
 * Bring the worktree state up to date for `dirty` paths (files or folders; '' or `full` = the whole
 * workspace): stat them, and hash only what the stat cache cannot vouch for — or take the blob id
 * from the user's git index when its stat matches — writing new blobs to the store. Throws only
 * when the store cannot be written; problems with workspace files become `unprotected` entries.
 */
export async function scan(
  deps: ScanDeps,
  dirty: Iterable<string>,
  full: boolean,
): Promise<ScanOutcome> {
  const { fs, root, state, rules } = deps
  const out: ScanOutcome = { changed: new Map(), retry: [], hashed: 0, copied: 0 }
  const excluded = (rel: string): boolean =>
    isGitPath(rel) || deps.excluded.some((x) => rel === x || rel.startsWith(`${x}/`))
  const remove = (rel: string): void => {
    for (const p of state.deleteUnder(rel)) out.changed.set(p, undefined)
    for (const p of [...deps.unprotected.keys()]) {
      if (p === rel || p.startsWith(`${rel}/`)) deps.unprotected.delete(p)
    }
  }
  const candidates: Candidate[] = []
  const walked: string[] = []

  const walkDir = async (start: string): Promise<void> => {
    const present = new Set<string>()
    const visit = async (dirRel: string): Promise<void> => {
      let entries
      try {
        entries = await fs.readdir(dirRel === '' ? root : join(root, dirRel))
      } catch (err) {
        if (isMissing(err)) return
        // A folder we cannot list: keep what we had below it rather than call it deleted.
        for (const p of state.listUnder(dirRel)) present.add(p)
        deps.unprotected.set(dirRel, {
          path: dirRel,
          reason: 'unreadable',
          detail: describeError(err),
        })
        return
      }
      if (deps.unprotected.get(dirRel)?.reason === 'unreadable') deps.unprotected.delete(dirRel)
      await rules.prepare(dirRel)
      for (const e of entries) {
        if (e.name === '.git') continue
        const rel = dirRel === '' ? e.name : `${dirRel}/${e.name}`
        if (excluded(rel)) continue
        let isDir = e.isDirectory
        let isFileLike = e.isFile || e.isSymbolicLink
        let st: CpStat | null = null
        if (!isDir && !isFileLike) {
          // Unknown type from readdir, or a socket/fifo/device: lstat decides.
          try {
            st = await fs.lstat(join(root, rel))
          } catch {
            continue
          }
          isDir = st.isDirectory
          isFileLike = st.isFile || st.isSymbolicLink
        }
        if (!isDir && !isFileLike) continue
        if (rules.ignoredNow(rel, isDir) ?? (await rules.isIgnored(rel, isDir))) continue
        if (isDir) subdirs.push(rel)
        else {
          present.add(rel)
          candidates.push({ rel, st })
        }
      }
    }
    // Folders are listed a few at a time: a big tree's walk waits on the disk, not on itself.
    const subdirs: string[] = [start]
    const lister = async (): Promise<void> => {
      while (subdirs.length > 0) await visit(subdirs.pop()!)
    }
    let active: Array<Promise<void>> = []
    while (subdirs.length > 0 || active.length > 0) {
      while (subdirs.length > 0 && active.length < WALK_CONCURRENCY) {
        const p: Promise<void> = lister().finally(() => {
          active = active.filter((x) => x !== p)
        })
        active.push(p)
      }
      if (active.length > 0) await Promise.race(active)
    }
    for (const p of state.listUnder(start)) if (!present.has(p)) remove(p)
    for (const p of [...deps.unprotected.keys()]) {
      if ((start === '' || p === start || p.startsWith(`${start}/`)) && !present.has(p)) {
        if (deps.unprotected.get(p)?.reason !== 'unreadable') deps.unprotected.delete(p)
      }
    }
  }

  const targets = full ? [''] : [...new Set(dirty)].sort()
  for (const rel of targets) {
    if (rel === '') {
      await walkDir('')
      walked.push('')
      continue
    }
    if (walked.some((w) => w === '' || rel.startsWith(`${w}/`))) continue
    if (excluded(rel)) continue
    let st: CpStat
    try {
      st = await fs.lstat(join(root, rel))
    } catch (err) {
      if (isMissing(err)) remove(rel)
      else
        deps.unprotected.set(rel, { path: rel, reason: 'unreadable', detail: describeError(err) })
      continue
    }
    if (st.isDirectory) {
      if (await rules.isIgnored(rel, true)) remove(rel)
      else {
        // A file that became a folder: drop the file, then take the folder's contents.
        if (state.get(rel)) remove(rel)
        await walkDir(rel)
        walked.push(rel)
      }
    } else if ((st.isFile || st.isSymbolicLink) && !(await rules.isIgnored(rel, false))) {
      if (!state.get(rel) && state.listUnder(rel).length > 0) remove(rel)
      candidates.push({ rel, st })
    } else remove(rel)
  }

  // Stat what the walk found.
  await mapLimit(candidates, STAT_CONCURRENCY, async (c) => {
    if (c.st) return
    try {
      c.st = await fs.lstat(join(root, c.rel))
    } catch (err) {
      if (!isMissing(err)) {
        deps.unprotected.set(c.rel, {
          path: c.rel,
          reason: 'unreadable',
          detail: describeError(err),
        })
      }
    }
  })

  const toCopy: Array<{ rel: string; st: CpStat; oid: Oid }> = []
  const toHash: Array<{ rel: string; st: CpStat }> = []
  for (const c of candidates) {
    const st = c.st
    if (!st || (!st.isFile && !st.isSymbolicLink)) {
      if (!st) remove(c.rel)
      continue
    }
    if (st.isFile && st.size > deps.sizeCap) {
      if (state.get(c.rel)) remove(c.rel)
      deps.unprotected.set(c.rel, {
        path: c.rel,
        reason: 'oversized',
        detail: `${st.size} bytes (cap ${deps.sizeCap})`,
      })
      continue
    }
    if (c.rel.includes('\uFFFD')) {
      deps.unprotected.set(c.rel, {
        path: c.rel,
        reason: 'unsupported-name',
        detail: 'the file name is not valid UTF-8',
      })
      continue
    }
    const cached = state.get(c.rel)
    if (cached && !cached.racy && sameStat(cached, st)) {
      deps.unprotected.delete(c.rel)
      continue
    }
    const seeded = deps.seed ? seedOid(deps.seed, c.rel, st) : null
    if (seeded) toCopy.push({ rel: c.rel, st, oid: seeded })
    else toHash.push({ rel: c.rel, st })
  }

  // Many new objects go into one pack (two file creations instead of thousands), hashed and
  // deflated by worker threads; a few go loose, hashed here.
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
  return out
}

function seedOid(seed: Seed, rel: string, st: CpStat): Oid | null {
  const e = seed.entries.get(rel)
  if (!e || e.untrusted || e.mode === MODE_GITLINK || e.mode === MODE_TREE) return null
  if ((e.mode === MODE_LINK) !== st.isSymbolicLink) return null
  if (e.mode !== MODE_LINK && e.mode !== gitModeOf(st.mode, false)) return null
  const mtime = e.mtimeSec * 1000 + e.mtimeNsec / 1e6
  const ctime = e.ctimeSec * 1000 + e.ctimeNsec / 1e6
  if (e.size !== st.size % 2 ** 32) return null
  if (Math.abs(mtime - st.mtimeMs) > 0.001 || Math.abs(ctime - st.ctimeMs) > 0.001) return null
  if (e.ino !== 0 && e.ino !== st.ino % 2 ** 32) return null
  // Racy git: a file changed in the same tick the index was written may differ from its entry.
  if (mtime >= seed.indexMtimeMs) return null
  return e.oid
}

/**
 * Take blobs from the user's object database for index entries whose stat matched. Returns the
 * items that could not be copied (missing or damaged there): the caller hashes those files.
 */
type CopyItem = { rel: string; st: CpStat; oid: Oid }

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
