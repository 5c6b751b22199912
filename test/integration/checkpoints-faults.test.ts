import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  nodeCheckpointFs,
  openCheckpointStore,
  parcelWatchBackend,
} from '../../src/main/checkpoints'
import type {
  CheckpointFs,
  CheckpointStore,
  SnapshotOk,
  SnapshotResult,
  WatchBackend,
} from '../../src/main/checkpoints'
import { REPO_ROOT } from '../support/paths'
import { waitForLine } from '../support/spawn'
import { tempDir } from '../support/temp'

let tmp: { path: string; cleanup: () => void }
let root: string
let dataDir: string
let store: CheckpointStore | null

beforeEach(() => {
  tmp = tempDir('paddock-cpfault-')
  root = join(tmp.path, 'project')
  dataDir = join(tmp.path, 'data')
  mkdirSync(root)
  store = null
})

afterEach(async () => {
  await store?.close()
  tmp.cleanup()
})

function ok(r: SnapshotResult): SnapshotOk {
  if (!r.ok) throw new Error(`snapshot failed: ${r.message}`)
  return r
}

const OLD = new Date(Date.now() - 3600_000)

function errno(code: string, path: string): Error {
  return Object.assign(new Error(`${code}: injected, ${path}`), { code })
}

/** The content of `path` in checkpoint `id`, as real git reads it from the store. */
function shown(storeDir: string, id: string, path: string): string {
  return execFileSync('git', ['--git-dir', storeDir, 'show', `${id}:${path}`], { encoding: 'utf8' })
}

function fsck(storeDir: string): void {
  execFileSync('git', ['--git-dir', storeDir, 'fsck', '--strict', '--full', '--no-dangling'], {
    stdio: 'pipe',
  })
}

/** node fs with store writes failing while `fault.code` is set. */
function faultyStoreFs(fault: { code: string | null }): CheckpointFs {
  const guard = (path: string): void => {
    if (fault.code && path.startsWith(dataDir)) throw errno(fault.code, path)
  }
  return {
    ...nodeCheckpointFs,
    writeFile: async (path, data, options) => {
      guard(path)
      return nodeCheckpointFs.writeFile(path, data, options)
    },
    appendFile: async (path, data, mode) => {
      guard(path)
      return nodeCheckpointFs.appendFile(path, data, mode)
    },
    rename: async (from, to) => {
      guard(to)
      return nodeCheckpointFs.rename(from, to)
    },
    copyFile: async (from, to) => {
      guard(to)
      return nodeCheckpointFs.copyFile(from, to)
    },
  }
}

describe('checkpoint store faults', () => {
  it.each(['ENOSPC', 'EACCES'])(
    'reports %s in the store as an unprotected step, loses nothing, and recovers',
    async (code) => {
      const fault: { code: string | null } = { code: null }
      writeFileSync(join(root, 'a.txt'), 'one\n')
      store = await openCheckpointStore({
        dataDir,
        workspaceId: 'w',
        root,
        fs: faultyStoreFs(fault),
      })
      const first = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))

      writeFileSync(join(root, 'a.txt'), 'two\n')
      writeFileSync(join(root, 'b.txt'), 'new\n')
      fault.code = code
      const failed = await store.snapshot({ sessionId: 's', reason: 'before-tool' })
      expect(failed.ok).toBe(false)
      if (failed.ok) return
      expect(failed.code).toBe('store_write_failed')
      expect(failed.message).toContain(code)
      expect(failed.message).toMatch(/unprotected/)
      await expect(store.restore(first.id)).rejects.toMatchObject({ code: 'store_write_failed' })
      expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('two\n') // nothing restored
      expect(await store.list('s')).toHaveLength(1)

      fault.code = null
      const next = ok(await store.snapshot({ sessionId: 's', reason: 'before-tool' }))
      expect(next.files.map((f) => [f.path, f.status])).toEqual([
        ['a.txt', 'modified'],
        ['b.txt', 'added'],
      ])
      expect(shown(store.storeDir, next.id, 'a.txt')).toBe('two\n')
      fsck(store.storeDir)
    },
  )

  it('lists an unreadable workspace file as unprotected and captures the rest', async () => {
    writeFileSync(join(root, 'open.txt'), 'fine\n')
    writeFileSync(join(root, 'locked.txt'), 'secret\n')
    const locked = join(root, 'locked.txt')
    const fs: CheckpointFs = {
      ...nodeCheckpointFs,
      readFile: async (path) => {
        if (path === locked) throw errno('EACCES', path)
        return nodeCheckpointFs.readFile(path)
      },
    }
    store = await openCheckpointStore({ dataDir, workspaceId: 'w', root, fs })
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(r.unprotected).toEqual([
      { path: 'locked.txt', reason: 'unreadable', detail: 'EACCES (permission denied)' },
    ])
    expect(shown(store.storeDir, r.id, 'open.txt')).toBe('fine\n')
    // Never captured, so a restore leaves it alone.
    await store.restore(r.id)
    expect(readFileSync(locked, 'utf8')).toBe('secret\n')
  })

  it('re-reads a file that changes while it is hashed', async () => {
    writeFileSync(join(root, 'log.txt'), 'start\n')
    const target = join(root, 'log.txt')
    utimesSync(target, OLD, OLD)
    let reads = 0
    const fs: CheckpointFs = {
      ...nodeCheckpointFs,
      readFile: async (path) => {
        const data = await nodeCheckpointFs.readFile(path)
        // A writer appends right after our first read of the file (and the mtime is put in the
        // past, so only the re-read — not the re-hashing of recently changed files — saves us).
        if (path === target && ++reads === 1) {
          appendFileSync(target, 'more\n')
          utimesSync(target, OLD, OLD)
        }
        return data
      },
    }
    store = await openCheckpointStore({ dataDir, workspaceId: 'w', root, fs })
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(reads).toBe(2)
    expect(r.hashed).toBe(1) // re-read within one hashing, not left for a later pass
    expect(shown(store.storeDir, r.id, 'log.txt')).toBe('start\nmore\n')
    expect(r.unprotected).toEqual([])
  })

  it('does a full pass after a watcher error (events lost to an overflow)', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    let drop = false
    // The real watcher, except that while `drop` is set it loses file events and then reports
    // an error, as a watcher does when the kernel's queue overflows.
    const lossy: WatchBackend = {
      subscribe: (dir, onEvents, options) =>
        parcelWatchBackend.subscribe(
          dir,
          (err, events) => {
            if (!drop) return onEvents(err, events)
            const kept = events.filter((e) => e.path === dir)
            onEvents(new Error('event queue overflow'), kept)
          },
          options,
        ),
    }
    store = await openCheckpointStore({
      dataDir,
      workspaceId: 'w',
      root,
      watch: lossy,
      statPassMaxFiles: 0,
    })
    ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    drop = true
    writeFileSync(join(root, 'a.txt'), 'two, unseen by the watcher\n')
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    drop = false
    expect(r.warnings.join('\n')).toMatch(/event queue overflow/)
    expect(shown(store.storeDir, r.id, 'a.txt')).toBe('two, unseen by the watcher\n')
  })

  it('syncs through a sentinel file where the watcher does not report the root itself', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    // A watcher like those of some platforms: the workspace folder's own changes never arrive.
    const rootBlind: WatchBackend = {
      subscribe: (dir, onEvents, options) =>
        parcelWatchBackend.subscribe(
          dir,
          (err, events) =>
            onEvents(
              err,
              events.filter((e) => e.path !== root),
            ),
          options,
        ),
    }
    let sentinels = 0
    const fs: CheckpointFs = {
      ...nodeCheckpointFs,
      writeFile: async (path, data, options) => {
        if (path.includes('/sentinel/')) sentinels++
        return nodeCheckpointFs.writeFile(path, data, options)
      },
    }
    store = await openCheckpointStore({
      dataDir,
      workspaceId: 'w',
      root,
      fs,
      watch: rootBlind,
      statPassMaxFiles: 0,
      syncTimeoutMs: 2000,
    })
    const first = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(first.warnings.join('\n')).toMatch(/sentinel file/)
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(root, 'a.txt'), `version ${i}\n`)
      const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
      expect(shown(store.storeDir, r.id, 'a.txt')).toBe(`version ${i}\n`)
    }
    expect(sentinels).toBe(5)
  })

  it('works without a watcher at all (every snapshot stats every file)', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    store = await openCheckpointStore({ dataDir, workspaceId: 'w', root, watch: null })
    ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    writeFileSync(join(root, 'a.txt'), 'two\n')
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(shown(store.storeDir, r.id, 'a.txt')).toBe('two\n')
  })

  it.each([
    ['between two loose objects', 40, '/objects/', 10],
    ['between a pack and its index', 300, '/objects/pack/tmp_idx_', 1],
  ])(
    'leaves a consistent store when killed (-9) mid-snapshot (%s); the next snapshot is right',
    async (_, files, trap, nth) => {
      for (let i = 0; i < files; i++) writeFileSync(join(root, `f${i}.txt`), `v1 ${i}\n`)
      const script = join(tmp.path, 'child.mts')
      // The child takes one checkpoint, changes every file, and freezes inside the second
      // snapshot at the nth rename matching the trap — the parent kills it there.
      writeFileSync(
        script,
        `
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { nodeCheckpointFs, openCheckpointStore } from ${JSON.stringify(join(REPO_ROOT, 'src/main/checkpoints/index.ts'))}
const [root, dataDir, trap, nth, files] = process.argv.slice(2)
let armed = false
let hits = 0
const fs = {
  ...nodeCheckpointFs,
  async rename(from, to) {
    if (armed && (from.includes(trap) || to.includes(trap)) && ++hits === Number(nth)) {
      console.log('FROZEN')
      await new Promise(() => {})
    }
    return nodeCheckpointFs.rename(from, to)
  },
}
const store = await openCheckpointStore({ dataDir, workspaceId: 'w', root, fs })
const first = await store.snapshot({ sessionId: 's', reason: 'first' })
console.log('FIRST ' + first.id)
for (let i = 0; i < Number(files); i++) writeFileSync(join(root, 'f' + i + '.txt'), 'v2 ' + i + '\\n')
armed = true
await store.snapshot({ sessionId: 's', reason: 'second' })
console.log('NOT FROZEN')
`,
      )
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, root, dataDir, trap, String(nth), String(files)],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      const firstLine = await waitForLine(child, /^FIRST /)
      await waitForLine(child, /^FROZEN/)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      const firstId = firstLine.slice(6)

      const storeDir = join(dataDir, 'checkpoints', 'w')
      fsck(storeDir)
      store = await openCheckpointStore({ dataDir, workspaceId: 'w', root }) // takes over the lock
      const list = await store.list('s')
      expect(list.map((c) => [c.n, c.id])).toEqual([[1, firstId]])
      const next = ok(await store.snapshot({ sessionId: 's', reason: 'after crash' }))
      expect(next.n).toBe(2)
      for (const i of [0, 17, files - 1])
        expect(shown(storeDir, next.id, `f${i}.txt`)).toBe(`v2 ${i}\n`)
      expect(shown(storeDir, firstId, 'f17.txt')).toBe('v1 17\n')
      fsck(storeDir)
      // A prune clears what the crash left behind (temp files, a pack without its index).
      await store.prune({ maxCount: 10 })
      const leftovers = execFileSync('find', [storeDir, '-name', 'tmp_*'], { encoding: 'utf8' })
      expect(leftovers).toBe('')
      fsck(storeDir)
    },
  )

  it('makes a restore wait for a snapshot in flight', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    store = await openCheckpointStore({ dataDir, workspaceId: 'w', root })
    const first = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    writeFileSync(join(root, 'a.txt'), 'two\n')
    const inFlight = store.snapshot({ sessionId: 's', reason: 'before-tool' })
    const restoring = store.restore(first.id)
    const [snap, restore] = [ok(await inFlight), await restoring]
    expect(snap.n).toBe(2)
    expect(shown(store.storeDir, snap.id, 'a.txt')).toBe('two\n')
    // The undo checkpoint found the state the snapshot had just recorded: nothing new.
    expect(restore.undoId).toBe(snap.id)
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('one\n')
  })

  it.each([
    ['a workspace statted whole when the watcher is busy', 2000, 1000],
    ['the watcher synced before every snapshot', 0, 60],
  ])(
    'captures the content just written in every write→snapshot loop (%s)',
    async (_, statPassMaxFiles, loops) => {
      for (let i = 0; i < 20; i++) writeFileSync(join(root, `other${i}.txt`), `${i}\n`)
      store = await openCheckpointStore({ dataDir, workspaceId: 'w', root, statPassMaxFiles })
      const ids: string[] = []
      const expected: string[] = []
      for (let i = 0; i < loops; i++) {
        // Same size every time: only the content (and maybe not even the mtime tick) differs.
        const content = `iteration ${String(i).padStart(5, '0')}\n`
        writeFileSync(join(root, 'hot.txt'), content)
        const r = ok(await store.snapshot({ sessionId: 's', reason: 'loop' }))
        expect(r.changed).toBe(true)
        ids.push(r.id)
        expected.push(createHash('sha1').update(`blob ${content.length}\0${content}`).digest('hex'))
      }
      const batch = execFileSync(
        'git',
        ['--git-dir', store.storeDir, 'cat-file', '--batch-check=%(objectname)'],
        {
          input: ids.map((id) => `${id}:hot.txt`).join('\n') + '\n',
          encoding: 'utf8',
        },
      )
      expect(batch.trim().split('\n')).toEqual(expected)
    },
    300_000,
  )
})
