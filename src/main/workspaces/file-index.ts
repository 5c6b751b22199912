import { fuzzyFilter } from '../../shared/fuzzy'
import type { FsOps } from '../tools/types'
import { walk } from '../tools/walk'

/** Files indexed per workspace at most; a bigger tree is marked truncated. */
export const FILE_INDEX_CAP = 50_000
/** How long a listing is reused before the tree is walked again, in ms. */
const FRESH_MS = 5_000

interface Listing {
  files: string[]
  truncated: boolean
  at: number
}

/**
 * Workspace files for pickers (@-mentions): a gitignore-aware walk, cached for a few seconds so a
 * person typing a query does not walk the tree per keystroke. One walk at a time per workspace.
 */
export class FileIndex {
  private readonly listings = new Map<string, Listing>()
  private readonly walks = new Map<string, Promise<Listing>>()

  constructor(
    private readonly fs: FsOps,
    private readonly now: () => number = Date.now,
  ) {}

  async search(
    root: string,
    query: string,
    limit: number,
  ): Promise<{ files: string[]; truncated: boolean }> {
    const listing = await this.listing(root)
    return { files: fuzzyFilter(query, listing.files, limit), truncated: listing.truncated }
  }

  private async listing(root: string): Promise<Listing> {
    const cached = this.listings.get(root)
    if (cached && this.now() - cached.at < FRESH_MS) return cached
    let pending = this.walks.get(root)
    if (!pending) {
      pending = this.walkFiles(root).finally(() => this.walks.delete(root))
      this.walks.set(root, pending)
    }
    const listing = await pending
    this.listings.set(root, listing)
    return listing
  }

  private async walkFiles(root: string): Promise<Listing> {
    const files: string[] = []
    let truncated = false
    for await (const e of walk({ fs: this.fs, root, start: root })) {
      if (!e.isFile && !e.isSymbolicLink) continue
      if (files.length >= FILE_INDEX_CAP) {
        truncated = true
        break
      }
      files.push(e.rel)
    }
    return { files, truncated, at: this.now() }
  }
}
