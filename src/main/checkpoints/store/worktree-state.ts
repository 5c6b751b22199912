import { encodeTree, EMPTY_TREE_OID, MODE_TREE } from '../git/git-object'
import type { Oid, TreeEntry } from '../git/git-object'

/** A captured file: its git mode and blob, and the stat it had when hashed (the stat cache). */
export interface Tracked {
  /** Git mode: 100644, 100755 or 120000. */
  mode: number
  oid: Oid
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
  /** Raw `st_mode` when hashed. */
  stMode: number
  /**
   * Hashed so soon after its last change that a later change within the filesystem's timestamp
   * granularity could leave the stat equal: never trusted by stat alone (git's "racy" entries).
   */
  racy: boolean
}

class DirNode {
  readonly children = new Map<string, DirNode | Tracked>()
  /** Tree id of this folder as last written; null when something below changed since. */
  oid: Oid | null = null
}

/**
 * The workspace as the store last saw it: path → tracked file, and the same files as a folder
 * tree whose nodes remember their tree ids, so writing a snapshot rewrites only the trees along
 * changed paths.
 */
export class WorktreeState {
  readonly files = new Map<string, Tracked>()
  private readonly root = new DirNode()

  get size(): number {
    return this.files.size
  }

  get(rel: string): Tracked | undefined {
    return this.files.get(rel)
  }

  set(rel: string, t: Tracked): void {
    const parts = rel.split('/')
    let node = this.root
    node.oid = null
    for (let i = 0; i < parts.length - 1; i++) {
      let next = node.children.get(parts[i]!)
      if (!(next instanceof DirNode)) {
        // A file where a folder now is: the folder replaces it.
        if (next) this.files.delete(parts.slice(0, i + 1).join('/'))
        next = new DirNode()
        node.children.set(parts[i]!, next)
      }
      next.oid = null
      node = next
    }
    const name = parts[parts.length - 1]!
    const old = node.children.get(name)
    if (old instanceof DirNode) for (const p of this.listUnder(rel)) this.files.delete(p)
    node.children.set(name, t)
    this.files.set(rel, t)
  }

  /** Remove `rel` and, if it is a folder, everything below it. Returns the files removed. */
  deleteUnder(rel: string): string[] {
    const parts = rel.split('/')
    const chain: DirNode[] = [this.root]
    let node = this.root
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node.children.get(parts[i]!)
      if (!(next instanceof DirNode)) return []
      chain.push(next)
      node = next
    }
    const name = parts[parts.length - 1]!
    const target = node.children.get(name)
    if (!target) return []
    const removed = target instanceof DirNode ? this.listUnder(rel) : [rel]
    for (const p of removed) this.files.delete(p)
    node.children.delete(name)
    // Invalidate the ancestors and drop folders left empty (git has no empty trees).
    for (let i = chain.length - 1; i >= 0; i--) {
      const dir = chain[i]!
      dir.oid = null
      if (i > 0 && dir.children.size === 0) chain[i - 1]!.children.delete(parts[i - 1]!)
    }
    return removed
  }

  /** Files at or below `rel` ('' = all). */
  listUnder(rel: string): string[] {
    if (rel === '') return [...this.files.keys()]
    let node: DirNode | Tracked | undefined = this.root
    for (const part of rel.split('/')) {
      if (!(node instanceof DirNode)) return []
      node = node.children.get(part)
    }
    if (!node) return []
    if (!(node instanceof DirNode)) return [rel]
    const out: string[] = []
    const visit = (dir: DirNode, prefix: string): void => {
      for (const [name, child] of dir.children) {
        const p = `${prefix}/${name}`
        if (child instanceof DirNode) visit(child, p)
        else out.push(p)
      }
    }
    visit(node, rel)
    return out
  }

  /**
   * Write the trees that changed since the last call (children first) through `write`, which
   * stores a tree's content and returns its id. Returns the root tree id.
   */
  async writeTrees(write: (content: Buffer, entries: TreeEntry[]) => Promise<Oid>): Promise<Oid> {
    const visit = async (dir: DirNode): Promise<Oid> => {
      if (dir.oid) return dir.oid
      const entries: TreeEntry[] = []
      for (const [name, child] of dir.children) {
        if (child instanceof DirNode)
          entries.push({ name, mode: MODE_TREE, oid: await visit(child) })
        else entries.push({ name, mode: child.mode, oid: child.oid })
      }
      const content = encodeTree(entries)
      dir.oid = entries.length === 0 ? EMPTY_TREE_OID : await write(content, entries)
      if (entries.length === 0) await write(content, entries)
      return dir.oid
    }
    return visit(this.root)
  }

  /** Forget every tree id (their objects failed to reach the disk): the next write redoes them. */
  invalidateTrees(): void {
    const visit = (dir: DirNode): void => {
      dir.oid = null
      for (const child of dir.children.values()) if (child instanceof DirNode) visit(child)
    }
    visit(this.root)
  }
}
