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
import type { ObjectStore } from './object-store'
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

/** Above this many files or bytes, hashing and deflating go to worker threads. */
const POOL_MIN_FILES = 64
const POOL_MIN_BYTES = 1024 * 1024
/** A hashing chunk: bounded memory however big the change. */
const CHUNK_FILES = 512
const CHUNK_BYTES = 32 * 1024 * 1024
const STAT_CONCURRENCY = 48
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
        if (await rules.isIgnored(rel, isDir)) continue
        if (isDir) await visit(rel)
        else {
          present.add(rel)
          candidates.push({ rel, st })
        }
      }
    }
    await visit(start)
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

  for (const item of toCopy) {
    if (await copyFromUser(deps, item.oid)) {
      const t = trackedFrom(item.st, item.oid, deps.now())
      state.set(item.rel, t)
      out.changed.set(item.rel, t)
      deps.unprotected.delete(item.rel)
      out.copied++
    } else toHash.push({ rel: item.rel, st: item.st })
  }

  // Hash in chunks (bounded memory), in workers when the chunk is big.
  let at = 0
  while (at < toHash.length) {
    let bytes = 0
    let end = at
    while (end < toHash.length && end - at < CHUNK_FILES && bytes < CHUNK_BYTES) {
      bytes += toHash[end]!.st.size
      end++
    }
    await hashChunk(deps, toHash.slice(at, end), bytes, out, remove)
    at = end
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

async function copyFromUser(deps: ScanDeps, oid: Oid): Promise<boolean> {
  const seed = deps.seed!
  if (await deps.objects.has(oid)) return true
  if (await deps.objects.copyLooseFrom(seed.objects, oid)) return true
  let content: Buffer
  try {
    const obj = await seed.objects.read(oid)
    if (obj.type !== 'blob') return false
    content = obj.content
  } catch {
    return false // not in the user's store after all (a broken repo): hash the file instead
  }
  await deps.objects.writeDeflated(oid, deflateLoose('blob', content))
  return true
}

async function hashChunk(
  deps: ScanDeps,
  items: Array<{ rel: string; st: CpStat }>,
  bytes: number,
  out: ScanOutcome,
  remove: (rel: string) => void,
): Promise<void> {
  const reads = await mapLimit(items, READ_CONCURRENCY, (item) =>
    readStable(deps.fs, join(deps.root, item.rel), item.st),
  )
  const ok: Array<{ rel: string; content: Buffer; st: CpStat; stable: boolean }> = []
  items.forEach((item, i) => {
    const r = reads[i]!
    if (r.kind === 'ok')
      ok.push({ rel: item.rel, content: r.content, st: r.stat, stable: r.stable })
    else if (r.kind === 'unreadable') {
      if (deps.state.get(item.rel)) remove(item.rel)
      deps.unprotected.set(item.rel, { path: item.rel, reason: 'unreadable', detail: r.detail })
    } else {
      remove(item.rel)
      if (r.kind === 'not-a-file') out.retry.push(item.rel)
    }
  })
  const usePool = ok.length >= POOL_MIN_FILES || bytes >= POOL_MIN_BYTES
  const hashed = usePool ? await deps.pool.hash(ok.map((o) => o.content)) : null
  for (let i = 0; i < ok.length; i++) {
    const item = ok[i]!
    let oid: Oid
    if (hashed) {
      oid = hashed[i]!.oid
      if (!(await deps.objects.has(oid))) await deps.objects.writeDeflated(oid, hashed[i]!.deflated)
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
    deps.state.set(item.rel, t)
    out.changed.set(item.rel, t)
    out.hashed++
  }
}
