import { join } from 'node:path'
import { isMissing } from './fs-ops'
import type { CheckpointFs } from './fs-ops'
import { decodeCommit, MODE_GITLINK, MODE_TREE } from './git-object'
import type { Oid } from './git-object'
import type { ObjectStore } from './object-store'
import { writePack } from './pack-writer'
import type { TreeReader } from './tree-reader'

/** More packs than this after a GC and they are merged into one. */
const MAX_PACKS = 8

export interface Reachable {
  /** Every object reachable from the roots. */
  oids: Set<Oid>
}

/**
 * Walk commits → trees → blobs from `commits` and `trees`, plus `blobs` as they are. Checkpoint
 * commits each have their own ref, so their parents are not followed; `history` commits (a deleted
 * worktree's save, whose parent is the branch tip) keep their whole ancestry.
 */
export async function reachableFrom(
  objects: ObjectStore,
  reader: TreeReader,
  roots: { commits: Oid[]; trees: Oid[]; blobs: Iterable<Oid>; history?: Oid[] },
  /** Objects already accounted for (not walked again, not reported). */
  seen = new Set<Oid>(),
  onObject?: (oid: Oid) => void,
): Promise<Set<Oid>> {
  const add = (oid: Oid): boolean => {
    if (seen.has(oid)) return false
    seen.add(oid)
    onObject?.(oid)
    return true
  }
  const visitTree = async (oid: Oid): Promise<void> => {
    if (!add(oid)) return
    for (const e of await reader.read(oid)) {
      if (e.mode === MODE_TREE) await visitTree(e.oid)
      else if (e.mode !== MODE_GITLINK) add(e.oid)
    }
  }
  // Iterative: a repository's history can be far deeper than the stack.
  const pending = [...(roots.history ?? [])]
  for (let c = pending.pop(); c !== undefined; c = pending.pop()) {
    if (!add(c)) continue
    const obj = await objects.read(c)
    if (obj.type !== 'commit') continue
    const commit = decodeCommit(obj.content)
    await visitTree(commit.tree)
    pending.push(...commit.parents)
  }
  for (const c of roots.commits) {
    if (!add(c)) continue
    const obj = await objects.read(c)
    if (obj.type !== 'commit') continue
    await visitTree(decodeCommit(obj.content).tree)
  }
  for (const t of roots.trees) await visitTree(t)
  for (const b of roots.blobs) add(b)
  return seen
}

export interface GcOutcome {
  deletedLoose: number
  packed: number
}

/**
 * Free what nothing reaches: delete unreachable loose objects, and pack the reachable ones (with
 * the live part of any pack that held garbage) into a new pack, then drop the old copies. Runs
 * under the store's lock and mutex: no other writer can be between writing an object and its ref.
 */
export async function collectGarbage(
  fs: CheckpointFs,
  objects: ObjectStore,
  reachable: Set<Oid>,
): Promise<GcOutcome> {
  await removeLeftovers(fs, objects.objectsDir)
  const loose = await objects.listLoose()
  let deletedLoose = 0
  const liveLoose: Oid[] = []
  for (const oid of loose) {
    if (reachable.has(oid)) liveLoose.push(oid)
    else {
      await objects.deleteLoose(oid)
      deletedLoose++
    }
  }
  const packs = (await objects.packReaders()).map((r) => r.index)
  const dirtyPacks = packs.filter((p) => [...p.offsets.keys()].some((oid) => !reachable.has(oid)))
  const mergeAll = packs.length - dirtyPacks.length + 1 > MAX_PACKS
  const rewrite = mergeAll ? packs : dirtyPacks
  const inNewPack = new Set<Oid>(liveLoose)
  for (const p of rewrite)
    for (const oid of p.offsets.keys()) if (reachable.has(oid)) inNewPack.add(oid)
  // Objects already in a pack we keep need not be copied again.
  for (const p of packs) {
    if (rewrite.includes(p)) continue
    for (const oid of p.offsets.keys()) inNewPack.delete(oid)
  }
  const oids = [...inNewPack].sort()
  if (oids.length > 0) {
    await writePack(fs, objects.objectsDir, { oids, read: (oid) => objects.read(oid) })
  }
  // Readers of the packs about to go must let go of them.
  await objects.invalidatePacks()
  for (const p of rewrite) {
    // A `.rev` is what git ≥ 2.41 writes beside a pack it received (a deleted worktree's save).
    for (const file of [p.idxPath, p.packPath, p.packPath.replace(/\.pack$/, '.rev')]) {
      try {
        await fs.unlink(file)
      } catch (err) {
        if (!isMissing(err)) throw err
      }
    }
  }
  for (const oid of liveLoose) await objects.deleteLoose(oid)
  // Fan-out folders left empty.
  for (const dir of new Set(loose.map((o) => o.slice(0, 2)))) {
    await fs.rmdir(join(objects.objectsDir, dir)).catch(() => undefined)
  }
  await objects.invalidatePacks()
  return { deletedLoose, packed: oids.length }
}

async function names(fs: CheckpointFs, dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).map((d) => d.name)
  } catch (err) {
    if (isMissing(err)) return []
    throw err
  }
}

/**
 * What a crash can leave: temp files of objects and packs never renamed, and a pack whose index
 * was never written (invisible to readers). Only safe with no writer running — GC holds the lock.
 */
export async function removeLeftovers(fs: CheckpointFs, objectsDir: string): Promise<void> {
  const packDir = join(objectsDir, 'pack')
  const inPacks = await names(fs, packDir)
  const doomed = [
    ...(await names(fs, objectsDir))
      .filter((n) => n.startsWith('tmp_'))
      .map((n) => join(objectsDir, n)),
    ...inPacks.filter((n) => n.startsWith('tmp_')).map((n) => join(packDir, n)),
    ...inPacks
      .filter((n) => n.endsWith('.pack') && !inPacks.includes(n.replace(/\.pack$/, '.idx')))
      .map((n) => join(packDir, n)),
  ]
  for (const path of doomed) await fs.unlink(path).catch(() => undefined)
}
