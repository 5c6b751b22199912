import { decodeTree, EMPTY_TREE_OID, MODE_GITLINK, MODE_TREE } from './git-object'
import type { Oid, TreeEntry } from './git-object'
import type { ObjectStore } from './object-store'

export interface FileRef {
  mode: number
  oid: Oid
}

export interface TreeChange {
  path: string
  old: FileRef | null
  new: FileRef | null
}

const CACHE_LIMIT = 50_000

/** Reads trees from the store, remembering parsed trees (they never change: content-addressed). */
export class TreeReader {
  private readonly cache = new Map<Oid, TreeEntry[]>()

  constructor(private readonly objects: ObjectStore) {}

  remember(oid: Oid, entries: TreeEntry[]): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear()
    this.cache.set(oid, entries)
  }

  clear(): void {
    this.cache.clear()
  }

  async read(oid: Oid): Promise<TreeEntry[]> {
    if (oid === EMPTY_TREE_OID) return []
    const hit = this.cache.get(oid)
    if (hit) return hit
    const obj = await this.objects.read(oid)
    if (obj.type !== 'tree') throw new Error(`${oid} is a ${obj.type}, not a tree`)
    const entries = decodeTree(obj.content)
    this.remember(oid, entries)
    return entries
  }

  /** Every file below `tree`: path → mode and blob (submodule links are skipped). */
  async flatten(tree: Oid, prefix = ''): Promise<Map<string, FileRef>> {
    const out = new Map<string, FileRef>()
    const visit = async (oid: Oid, base: string): Promise<void> => {
      for (const e of await this.read(oid)) {
        const p = base ? `${base}/${e.name}` : e.name
        if (e.mode === MODE_TREE) await visit(e.oid, p)
        else if (e.mode !== MODE_GITLINK) out.set(p, { mode: e.mode, oid: e.oid })
      }
    }
    await visit(tree, prefix)
    return out
  }

  /** The file changes from tree `a` to tree `b`, descending only into subtrees that differ. */
  async diff(a: Oid, b: Oid): Promise<TreeChange[]> {
    const out: TreeChange[] = []
    const visit = async (x: Oid | null, y: Oid | null, base: string): Promise<void> => {
      if (x === y) return
      const xs = x ? await this.read(x) : []
      const ys = y ? await this.read(y) : []
      const byName = new Map<string, [TreeEntry | null, TreeEntry | null]>()
      for (const e of xs) byName.set(e.name, [e, null])
      for (const e of ys) byName.set(e.name, [byName.get(e.name)?.[0] ?? null, e])
      for (const [name, [ex, ey]] of byName) {
        const p = base ? `${base}/${name}` : name
        const xTree = ex?.mode === MODE_TREE ? ex.oid : null
        const yTree = ey?.mode === MODE_TREE ? ey.oid : null
        const xFile = ex && ex.mode !== MODE_TREE && ex.mode !== MODE_GITLINK ? ex : null
        const yFile = ey && ey.mode !== MODE_TREE && ey.mode !== MODE_GITLINK ? ey : null
        if (xTree || yTree) await visit(xTree, yTree, p)
        if (xFile || yFile) {
          if (xFile && yFile && xFile.oid === yFile.oid && xFile.mode === yFile.mode) continue
          out.push({
            path: p,
            old: xFile ? { mode: xFile.mode, oid: xFile.oid } : null,
            new: yFile ? { mode: yFile.mode, oid: yFile.oid } : null,
          })
        }
      }
    }
    await visit(a, b, '')
    out.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0))
    return out
  }
}
