import { CheckpointError, isMissing } from './errors'
import {
  decodeCommit,
  decodeTree,
  EMPTY_TREE_OID,
  MODE_LINK,
  MODE_TREE,
  OID_RE,
} from '../git/git-object'
import type { ObjectStore } from '../git/object-store'
import { isBinary } from './line-diff'
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
 * One file as a checkpoint holds it, from the store's objects (loose and packed). The store calls
 * it under its lock. `reread`: another process may write the store (we opened it read-only) and
 * repack meanwhile, so a missing object is looked for once more after the packs are re-read.
 */
export async function readCheckpointFile(
  objects: ObjectStore,
  checkpointId: string,
  path: string,
  maxBytes: number,
  reread: boolean,
): Promise<CheckpointFileContent> {
  try {
    return await readOnce(objects, checkpointId, path, maxBytes)
  } catch (err) {
    if (!reread || !(err instanceof CheckpointError && err.code === 'not_found')) throw err
    await objects.invalidatePacks()
    return await readOnce(objects, checkpointId, path, maxBytes)
  }
}

/** Whether `id` is a checkpoint (a commit) in the store; `reread` as for `readCheckpointFile`. */
export async function isCommit(
  objects: ObjectStore,
  id: string,
  reread: boolean,
): Promise<boolean> {
  if (!OID_RE.test(id)) return false
  for (let attempt = 0; attempt < (reread ? 2 : 1); attempt++) {
    try {
      return (await objects.read(id)).type === 'commit'
    } catch (err) {
      if (!isMissing(err)) throw err
      if (reread) await objects.invalidatePacks()
    }
  }
  return false
}

async function readOnce(
  objects: ObjectStore,
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
  const commit = await readObject(objects, checkpointId, `No checkpoint ${checkpointId}.`)
  if (commit.type !== 'commit') {
    throw new CheckpointError('not_found', `${checkpointId} is not a checkpoint.`)
  }
  let tree = decodeCommit(commit.content).tree
  const parts = rel.split('/')
  const missing = `${rel} is not in checkpoint ${checkpointId.slice(0, 12)}.`
  for (let i = 0; i < parts.length; i++) {
    if (tree === EMPTY_TREE_OID) throw new CheckpointError('not_found', missing)
    const obj = await readObject(objects, tree, missing)
    const entry = decodeTree(obj.content).find((e) => e.name === parts[i])
    if (!entry) throw new CheckpointError('not_found', missing)
    const last = i === parts.length - 1
    if (entry.mode === MODE_TREE) {
      if (last) throw new CheckpointError('not_found', `${rel} is a folder in that checkpoint.`)
      tree = entry.oid
      continue
    }
    if (!last) throw new CheckpointError('not_found', missing)
    const blob = await readObject(objects, entry.oid, missing)
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

async function readObject(
  objects: ObjectStore,
  oid: string,
  missing: string,
): Promise<{ type: string; content: Buffer }> {
  try {
    return await objects.read(oid)
  } catch (err) {
    if (isMissing(err)) {
      throw Object.assign(new CheckpointError('not_found', missing), { cause: err })
    }
    throw err
  }
}
