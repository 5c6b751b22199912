import { CheckpointError, isMissing } from './errors'
import type { CheckpointFs } from './fs-ops'
import { nodeCheckpointFs } from './fs-ops'
import {
  decodeCommit,
  decodeTree,
  EMPTY_TREE_OID,
  MODE_LINK,
  MODE_TREE,
  OID_RE,
} from './git-object'
import { isBinary } from './line-diff'
import { ObjectStore } from './object-store'
import { unsafePath } from './restore'

export interface CheckpointFileContent {
  path: string
  /** Git mode in octal text: `100644`, `100755`, `120000` (a symlink: content is its target). */
  mode: string
  size: number
  binary: boolean
  /** Null for a binary file or one larger than `maxBytes`. */
  content: string | null
  tooLarge: boolean
}

/**
 * Reads one file as a checkpoint holds it, straight from the store's objects (loose and packed).
 * Only reads, so it may sit beside the store's own writer; a pack the store rewrote meanwhile is
 * found again on retry.
 */
export class CheckpointFileReader {
  private readonly objects: ObjectStore

  constructor(storeDir: string, fs: CheckpointFs = nodeCheckpointFs) {
    this.objects = new ObjectStore(fs, storeDir)
  }

  async read(checkpointId: string, path: string, maxBytes: number): Promise<CheckpointFileContent> {
    try {
      return await this.readOnce(checkpointId, path, maxBytes)
    } catch (err) {
      if (!(err instanceof CheckpointError && err.code === 'not_found')) throw err
      // A prune may have repacked what we had open: look again before saying "not found".
      await this.objects.invalidatePacks()
      return await this.readOnce(checkpointId, path, maxBytes)
    }
  }

  /** Whether `id` is a checkpoint (a commit) in this store. */
  async isCheckpoint(id: string): Promise<boolean> {
    if (!OID_RE.test(id)) return false
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        return (await this.objects.read(id)).type === 'commit'
      } catch (err) {
        if (!isMissing(err)) throw err
        await this.objects.invalidatePacks()
      }
    }
    return false
  }

  close(): Promise<void> {
    return this.objects.close()
  }

  private async readOnce(
    checkpointId: string,
    path: string,
    maxBytes: number,
  ): Promise<CheckpointFileContent> {
    if (!OID_RE.test(checkpointId)) {
      throw new CheckpointError('invalid_input', `Not a checkpoint id: "${checkpointId}"`)
    }
    const rel = path.replace(/^\.\/+/, '').replace(/\/+$/, '')
    if (unsafePath(rel)) {
      throw new CheckpointError('invalid_input', `Not a path inside the workspace: "${path}"`)
    }
    const commit = await this.readObject(checkpointId, `No checkpoint ${checkpointId}.`)
    if (commit.type !== 'commit') {
      throw new CheckpointError('not_found', `${checkpointId} is not a checkpoint.`)
    }
    let tree = decodeCommit(commit.content).tree
    const parts = rel.split('/')
    const missing = `${rel} is not in checkpoint ${checkpointId.slice(0, 12)}.`
    for (let i = 0; i < parts.length; i++) {
      if (tree === EMPTY_TREE_OID) throw new CheckpointError('not_found', missing)
      const obj = await this.readObject(tree, missing)
      const entry = decodeTree(obj.content).find((e) => e.name === parts[i])
      if (!entry) throw new CheckpointError('not_found', missing)
      const last = i === parts.length - 1
      if (entry.mode === MODE_TREE) {
        if (last) throw new CheckpointError('not_found', `${rel} is a folder in that checkpoint.`)
        tree = entry.oid
        continue
      }
      if (!last) throw new CheckpointError('not_found', missing)
      const blob = await this.readObject(entry.oid, missing)
      const data = blob.content
      const binary = entry.mode !== MODE_LINK && isBinary(data)
      const tooLarge = data.length > maxBytes
      return {
        path: rel,
        mode: entry.mode.toString(8),
        size: data.length,
        binary,
        content: binary || tooLarge ? null : data.toString('utf8'),
        tooLarge,
      }
    }
    throw new CheckpointError('not_found', missing)
  }

  private async readObject(
    oid: string,
    missing: string,
  ): Promise<{ type: string; content: Buffer }> {
    try {
      return await this.objects.read(oid)
    } catch (err) {
      if (isMissing(err))
        throw Object.assign(new CheckpointError('not_found', missing), { cause: err })
      throw err
    }
  }
}
