import { basename, join } from 'node:path'
import { isSecretFileName } from '../../core/secret-files'
import { captureBlobs } from './blob-capture'
import { sameStat } from './capture'
import { mapLimit } from './concurrency'
import { isRestoreTempName } from './restore'
import { describeError, isMissing } from './errors'
import type { CheckpointFs, CpStat } from '../git/fs-ops'
import { MODE_GITLINK, MODE_LINK, MODE_TREE, gitModeOf } from '../git/git-object'
import type { Oid } from '../git/git-object'
import type { IndexEntry } from '../git/git-index'
import type { HashPool } from './hash-pool'
import type { IgnoreRules } from './ignore-rules'
import type { ObjectStore } from '../git/object-store'
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

const STAT_CONCURRENCY = 48
const WALK_CONCURRENCY = 8

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
      await rules.prepare(dirRel, new Set(entries.map((e) => e.name)))
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
    if (isRestoreTempName(basename(c.rel))) {
      // A killed restore's half-written file: neither captured nor anyone's change.
      if (state.get(c.rel)) remove(c.rel)
      continue
    }
    if (isSecretFileName(basename(c.rel))) {
      if (state.get(c.rel)) remove(c.rel)
      deps.unprotected.set(c.rel, {
        path: c.rel,
        reason: 'secret',
        detail:
          'its name says it holds secrets: checkpoints never copy it, restores never touch it',
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

  await captureBlobs(deps, toCopy, toHash, out, remove)
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
