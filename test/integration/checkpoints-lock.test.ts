import { mkdirSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeCheckpointFs, openCheckpointStore } from '../../src/main/checkpoints'
import type {
  CheckpointFs,
  CheckpointStore,
  SnapshotOk,
  SnapshotResult,
} from '../../src/main/checkpoints'
import { tempDir } from '../support/temp'

let tmp: { path: string; cleanup: () => void }
let root: string
let dataDir: string
const stores: CheckpointStore[] = []

beforeEach(() => {
  tmp = tempDir('paddock-cplock-')
  root = join(tmp.path, 'project')
  dataDir = join(tmp.path, 'data')
  mkdirSync(root)
})

afterEach(async () => {
  for (const s of stores.splice(0).reverse()) await s.close()
  tmp.cleanup()
})

function ok(r: SnapshotResult): SnapshotOk {
  if (!r.ok) throw new Error(`snapshot failed: ${r.message}`)
  return r
}

async function open(
  options: { fs?: CheckpointFs; readOnly?: boolean } = {},
): Promise<CheckpointStore> {
  const s = await openCheckpointStore({
    dataDir,
    workspaceId: 'ws',
    root,
    home: tmp.path,
    watch: null,
    ...options,
  })
  stores.push(s)
  return s
}

/**
 * node fs whose first removal of a store object waits for `open()`: a GC held half done, its lock
 * taken, for as long as the test likes.
 */
function gatedFs(): {
  fs: CheckpointFs
  reached: Promise<void>
  open: () => void
} {
  let reach = (): void => {}
  const reached = new Promise<void>((r) => (reach = r))
  let release = (): void => {}
  const gate = new Promise<void>((r) => (release = r))
  let armed = true
  const objects = join(dataDir, 'checkpoints', 'ws', 'objects') + sep
  const fs: CheckpointFs = {
    ...nodeCheckpointFs,
    unlink: async (path) => {
      if (armed && path.startsWith(objects)) {
        armed = false
        reach()
        await gate
      }
      return nodeCheckpointFs.unlink(path)
    },
  }
  return { fs, reached, open: release }
}

/** Whether `p` settled within `ms`. */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false
  p.then(
    () => (done = true),
    () => (done = true),
  )
  await new Promise((r) => setTimeout(r, ms))
  return done
}

describe('object reads take the store lock', () => {
  it('a file read waits for a GC in flight and sees its result, never half of it', async () => {
    const gated = gatedFs()
    const store = await open({ fs: gated.fs })
    writeFileSync(join(root, 'a.txt'), 'one\n')
    const gone = ok(await store.snapshot({ sessionId: 's1', reason: 'manual' }))
    writeFileSync(join(root, 'a.txt'), 'two\n')
    const kept = ok(await store.snapshot({ sessionId: 's2', reason: 'manual' }))

    // Deleting s1 frees its commit and packs what is left: objects are removed and moved.
    const deleting = store.deleteSession('s1')
    await gated.reached
    const read = store.readFile(kept.id, 'a.txt', 1024)
    const known = store.isCheckpoint(gone.id)
    let waited: boolean[]
    try {
      waited = [await settles(read, 150), await settles(known, 0)]
    } finally {
      // Whatever happened, let the GC finish (the store's close waits for it).
      gated.open()
    }
    expect(waited).toEqual([false, false])
    await deleting
    expect(await read).toMatchObject({ path: 'a.txt', content: 'two\n', binary: false })
    expect(await known).toBe(false)
    expect(await store.isCheckpoint(kept.id)).toBe(true)
    await expect(store.readFile(gone.id, 'a.txt', 1024)).rejects.toMatchObject({
      code: 'not_found',
    })
  })

  it('a read-only store finds objects another store packed meanwhile', async () => {
    const writer = await open()
    writeFileSync(join(root, 'a.txt'), 'one\n')
    ok(await writer.snapshot({ sessionId: 's1', reason: 'manual' }))
    writeFileSync(join(root, 'a.txt'), 'two\n')
    const kept = ok(await writer.snapshot({ sessionId: 's2', reason: 'manual' }))

    const reader = await open({ readOnly: true })
    expect((await reader.readFile(kept.id, 'a.txt', 1024)).content).toBe('two\n')
    // The writer's GC moves every loose object the reader read into a new pack.
    await writer.deleteSession('s1')
    expect((await reader.readFile(kept.id, 'a.txt', 1024)).content).toBe('two\n')
    expect(await reader.isCheckpoint(kept.id)).toBe(true)
  })
})
