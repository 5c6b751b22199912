import type { Oid } from '../git/git-object'
import { countLineChanges, isBinary, unifiedHunks } from './line-diff'
import type { ObjectStore } from '../git/object-store'
import type { TreeChange } from '../git/tree-reader'
import type { DiffFile, FileChange } from './types'

/** Line counts are computed for at most this many files and bytes per snapshot. */
const COUNT_MAX_FILES = 1000
const COUNT_MAX_BYTES = 32 * 1024 * 1024

async function blob(objects: ObjectStore, oid: Oid | undefined): Promise<Buffer> {
  if (!oid) return Buffer.alloc(0)
  const obj = await objects.read(oid)
  if (obj.type !== 'blob') throw new Error(`${oid} is a ${obj.type}, not a blob`)
  return obj.content
}

function statusOf(c: TreeChange): FileChange['status'] {
  return !c.old ? 'added' : !c.new ? 'deleted' : 'modified'
}

/** Snapshot summaries: each changed file with +/− line counts (null past the budget or binary). */
export async function summarize(
  objects: ObjectStore,
  changes: TreeChange[],
): Promise<FileChange[]> {
  let bytes = 0
  const out: FileChange[] = []
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!
    const status = statusOf(c)
    if (i >= COUNT_MAX_FILES || bytes > COUNT_MAX_BYTES) {
      out.push({ path: c.path, status, additions: null, deletions: null, binary: false })
      continue
    }
    const a = await blob(objects, c.old?.oid)
    const b = c.old?.oid === c.new?.oid ? a : await blob(objects, c.new?.oid)
    bytes += a.length + b.length
    if (isBinary(a) || isBinary(b)) {
      out.push({ path: c.path, status, additions: null, deletions: null, binary: true })
      continue
    }
    const counts = a === b ? { additions: 0, deletions: 0 } : countLineChanges(a, b)
    out.push({ path: c.path, status, ...counts, binary: false })
  }
  return out
}

function modeText(mode: number | undefined): string | null {
  return mode === undefined ? null : mode.toString(8)
}

/**
 * Full diffs: renames paired by identical blobs (exact renames), then a unified patch per text
 * file (`--- a/x`, `+++ b/x`, hunks), a binary marker otherwise.
 */
export async function buildDiff(objects: ObjectStore, changes: TreeChange[]): Promise<DiffFile[]> {
  const deletedByOid = new Map<Oid, TreeChange[]>()
  for (const c of changes) {
    if (c.old && !c.new) {
      const list = deletedByOid.get(c.old.oid) ?? []
      list.push(c)
      deletedByOid.set(c.old.oid, list)
    }
  }
  const paired = new Set<TreeChange>()
  const renames = new Map<TreeChange, TreeChange>()
  for (const c of changes) {
    if (!c.old && c.new) {
      const candidates = deletedByOid.get(c.new.oid)
      const source = candidates?.find((d) => !paired.has(d))
      if (source) {
        paired.add(source)
        renames.set(c, source)
      }
    }
  }
  const out: DiffFile[] = []
  for (const c of changes) {
    if (paired.has(c)) continue
    const source = renames.get(c)
    const oldRef = source ? source.old : c.old
    const oldPath = source ? source.path : c.path
    const a = await blob(objects, oldRef?.oid)
    const b = oldRef?.oid === c.new?.oid ? a : await blob(objects, c.new?.oid)
    const binary = isBinary(a) || isBinary(b)
    const file: DiffFile = {
      path: c.path,
      status: source ? 'renamed' : statusOf(c),
      binary,
      additions: 0,
      deletions: 0,
      oldMode: modeText(oldRef?.mode),
      newMode: modeText(c.new?.mode),
      patch: null,
    }
    if (source) file.oldPath = oldPath
    if (!binary) {
      const d = a === b ? { additions: 0, deletions: 0, hunks: '' } : unifiedHunks(a, b)
      file.additions = d.additions
      file.deletions = d.deletions
      const from = oldRef ? `a/${oldPath}` : '/dev/null'
      const to = c.new ? `b/${c.path}` : '/dev/null'
      file.patch = d.hunks ? `--- ${from}\n+++ ${to}\n${d.hunks}` : ''
    }
    out.push(file)
  }
  return out
}
