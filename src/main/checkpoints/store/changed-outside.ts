import { MODE_TREE } from '../git/git-object'
import type { Oid } from '../git/git-object'
import type { FileRef, TreeReader } from '../git/tree-reader'

/** What a restore left each path it touched as: a file (mode and blob), or null once deleted. */
export type RestoredPaths = ReadonlyMap<string, FileRef | null>

export interface ChangedOutsideInput {
  reader: TreeReader
  /** The tree of the workspace's latest checkpoint (null: none yet, so nothing to compare). */
  base: Oid | null
  /** Paths restores wrote or deleted since that checkpoint: what they are expected to hold. */
  restored: RestoredPaths
  /** The working tree now. */
  now: Oid
  /** The tree a restore would make the workspace match. */
  target: Oid
  /** The restore's paths (a folder covers what is below it); null: every file. */
  scope: string[] | null
}

const same = (a: FileRef | null | undefined, b: FileRef | null | undefined): boolean =>
  a && b ? a.oid === b.oid && a.mode === b.mode : !a && !b

function inScope(path: string, scope: string[] | null): boolean {
  return !scope || scope.some((s) => path === s || path.startsWith(`${s}/`))
}

/** A restore the store may not have seen: its undo checkpoint, its target and the paths it changed. */
export interface LastRestore {
  undoId: string
  target: string
  paths: string[]
}

/**
 * What restored paths are expected to hold: what this process saw restores leave, or else what the
 * session's last restore left, when no checkpoint was taken since it (the latest is its undo one).
 */
export async function expectedRestored(
  reader: TreeReader,
  treeOf: (checkpointId: string) => Promise<Oid | null>,
  base: Oid | null,
  restored: RestoredPaths,
  last: LastRestore | undefined,
): Promise<RestoredPaths> {
  if (restored.size || !last || base === null || (await treeOf(last.undoId)) !== base) {
    return restored
  }
  const target = await treeOf(last.target)
  if (!target) return restored
  const out = new Map<string, FileRef | null>()
  for (const p of last.paths) out.set(p, await lookup(reader, target, p))
  return out
}

/** The file at `path` in `tree`, or null. */
async function lookup(reader: TreeReader, tree: Oid, path: string): Promise<FileRef | null> {
  let oid = tree
  const parts = path.split('/')
  for (let i = 0; i < parts.length; i++) {
    const e = (await reader.read(oid)).find((x) => x.name === parts[i])
    if (!e) return null
    if (i === parts.length - 1) return e.mode === MODE_TREE ? null : { mode: e.mode, oid: e.oid }
    if (e.mode !== MODE_TREE) return null
    oid = e.oid
  }
  return null
}

/**
 * The files a restore to `target` would change that were changed since the workspace's latest
 * checkpoint by someone other than Paddock (the user, an editor, another tool): they differ from
 * what that checkpoint holds, or from what a later restore wrote there. Sorted.
 */
export async function changedOutside(input: ChangedOutsideInput): Promise<string[]> {
  const { reader, base, restored, now, target, scope } = input
  if (base === null) return []
  const changed = new Set<string>()
  const since = await reader.diff(base, now)
  for (const c of since) {
    const expected = restored.has(c.path) ? restored.get(c.path) : c.old
    if (!same(expected, c.new)) changed.add(c.path)
  }
  // A restored path back as the checkpoint had it was changed after the restore, too.
  const seen = new Set(since.map((c) => c.path))
  for (const [path, ref] of restored) {
    if (seen.has(path)) continue
    if (!same(ref, await lookup(reader, now, path))) changed.add(path)
  }
  if (changed.size === 0) return []
  const touched = new Set(
    (await reader.diff(now, target)).filter((c) => inScope(c.path, scope)).map((c) => c.path),
  )
  return [...changed].filter((p) => touched.has(p)).sort()
}
