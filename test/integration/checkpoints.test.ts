import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CheckpointError, openCheckpointStore } from '../../src/main/checkpoints'
import type { CheckpointStore, SnapshotOk, SnapshotResult } from '../../src/main/checkpoints'
import { tempDir } from '../support/temp'

/** Every file, symlink and folder below `dir` (`.git` included): path → kind, mode, content hash. */
function fullTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name)
      const r = rel ? `${rel}/${name}` : name
      const st = lstatSync(p)
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(p)}`
      else if (st.isDirectory()) {
        out[r] = 'dir'
        visit(p, r)
      } else {
        const hash = createHash('sha1').update(readFileSync(p)).digest('hex')
        out[r] = `file ${(st.mode & 0o777).toString(8)} ${hash}`
      }
    }
  }
  visit(dir, '')
  return out
}

function sh(cwd: string, script: string): void {
  execFileSync('bash', ['-c', script], { cwd, stdio: 'pipe' })
}

function ok(r: SnapshotResult): SnapshotOk {
  if (!r.ok) throw new Error(`snapshot failed: ${r.message}`)
  return r
}

let tmp: { path: string; cleanup: () => void }
let root: string
let dataDir: string
let store: CheckpointStore | null

beforeEach(() => {
  tmp = tempDir('paddock-cp-')
  root = join(tmp.path, 'project')
  dataDir = join(tmp.path, 'data')
  mkdirSync(root)
  store = null
})

afterEach(async () => {
  await store?.close()
  tmp.cleanup()
})

async function open(extra: Record<string, unknown> = {}): Promise<CheckpointStore> {
  store = await openCheckpointStore({ dataDir, workspaceId: 'ws1', root, ...extra })
  return store
}

describe('checkpoint store in a folder that is not a git repository', () => {
  it('rewinds a shell rm, mv and sed -i', async () => {
    mkdirSync(join(root, 'src'))
    writeFileSync(join(root, 'src/keep.ts'), 'export const keep = 1\n')
    writeFileSync(join(root, 'src/gone.ts'), 'export const gone = 2\n')
    writeFileSync(join(root, 'old-name.md'), '# Title\n\nbody\n')
    writeFileSync(join(root, 'config.ini'), 'mode=safe\nlevel=1\n')
    const s = await open()
    const before = fullTree(root)
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'before-tool', label: 'bash' }))
    expect(cp.changed).toBe(true)
    expect(cp.baseline).toBe(true)
    expect(existsSync(join(root, '.git'))).toBe(false)

    sh(root, 'rm src/gone.ts && mv old-name.md new-name.md && sed -i s/safe/wild/ config.ini')
    const after = ok(await s.snapshot({ sessionId: 'sess', reason: 'turn-end' }))
    expect(after.files.map((f) => [f.path, f.status])).toEqual([
      ['config.ini', 'modified'],
      ['new-name.md', 'added'],
      ['old-name.md', 'deleted'],
      ['src/gone.ts', 'deleted'],
    ])
    expect(after.files.find((f) => f.path === 'config.ini')).toMatchObject({
      additions: 1,
      deletions: 1,
    })

    const diff = await s.diff(cp.id, after.id)
    expect(diff.files.find((f) => f.path === 'new-name.md')).toMatchObject({
      status: 'renamed',
      oldPath: 'old-name.md',
    })
    const sed = diff.files.find((f) => f.path === 'config.ini')!
    expect(sed.patch).toBe(
      '--- a/config.ini\n+++ b/config.ini\n@@ -1,2 +1,2 @@\n-mode=safe\n+mode=wild\n level=1\n',
    )

    const restored = await s.restore(cp.id)
    expect(restored.written.sort()).toEqual(['config.ini', 'old-name.md', 'src/gone.ts'])
    expect(restored.deleted).toEqual(['new-name.md'])
    expect(fullTree(root)).toEqual(before)
  })

  it('round-trips binary files, symlinks and the executable bit byte-exact', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256))
    writeFileSync(join(root, 'blob.bin'), binary)
    writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 })
    writeFileSync(join(root, 'target.txt'), 'pointed at\n')
    symlinkSync('target.txt', join(root, 'link'))
    symlinkSync('../outside/nowhere', join(root, 'dangling'))
    const s = await open()
    const before = fullTree(root)
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))

    writeFileSync(join(root, 'blob.bin'), Buffer.from('replaced'))
    chmodSync(join(root, 'run.sh'), 0o644)
    sh(root, 'rm link && ln -s blob.bin link && rm dangling && echo plain > dangling')
    const changed = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    const diff = await s.diff(cp.id, changed.id)
    expect(diff.files.find((f) => f.path === 'blob.bin')).toMatchObject({
      binary: true,
      patch: null,
    })
    expect(diff.files.find((f) => f.path === 'run.sh')).toMatchObject({
      oldMode: '100755',
      newMode: '100644',
      patch: '',
    })
    expect(diff.files.find((f) => f.path === 'link')).toMatchObject({ oldMode: '120000' })

    await s.restore(cp.id)
    expect(fullTree(root)).toEqual(before)
    expect(readFileSync(join(root, 'blob.bin')).equals(binary)).toBe(true)
    expect(lstatSync(join(root, 'run.sh')).mode & 0o111).not.toBe(0)
    expect(readlinkSync(join(root, 'dangling'))).toBe('../outside/nowhere')
  })

  it('never deletes an ignored or oversized file created before a restore', async () => {
    writeFileSync(join(root, '.gitignore'), 'build/\n*.log\n')
    writeFileSync(join(root, '.paddockignore'), 'secret.env\n')
    writeFileSync(join(root, 'app.js'), 'console.log(1)\n')
    const s = await open({ sizeCap: 1000 })
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))

    mkdirSync(join(root, 'build'))
    writeFileSync(join(root, 'build/out.js'), 'built\n')
    writeFileSync(join(root, 'debug.log'), 'log\n')
    writeFileSync(join(root, 'secret.env'), 'KEY=1\n')
    writeFileSync(join(root, 'huge.dat'), Buffer.alloc(5000, 1))
    writeFileSync(join(root, 'new.js'), 'added\n')
    const next = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    expect(next.files.map((f) => f.path)).toEqual(['new.js'])
    expect(next.unprotected).toEqual([
      { path: 'huge.dat', reason: 'oversized', detail: '5000 bytes (cap 1000)' },
    ])

    const r = await s.restore(cp.id)
    expect(r.deleted).toEqual(['new.js'])
    expect(readFileSync(join(root, 'build/out.js'), 'utf8')).toBe('built\n')
    expect(readFileSync(join(root, 'debug.log'), 'utf8')).toBe('log\n')
    expect(readFileSync(join(root, 'secret.env'), 'utf8')).toBe('KEY=1\n')
    expect(lstatSync(join(root, 'huge.dat')).size).toBe(5000)
    expect(existsSync(join(root, 'new.js'))).toBe(false)
  })

  it('never captures a file that holds secrets, ignored or not, and lists it as unprotected', async () => {
    writeFileSync(join(root, '.gitignore'), '.env\n')
    writeFileSync(join(root, '.env'), 'KEY=one\n')
    writeFileSync(join(root, 'id_utils.py'), 'ordinary\n')
    writeFileSync(join(root, 'credentials.ts'), 'ordinary\n')
    const s = await open()
    const first = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    expect(first.unprotected).toEqual([])

    // The ignore file goes: the secrets must still stay out of the store.
    rmSync(join(root, '.gitignore'))
    writeFileSync(join(root, '.env'), 'KEY=two\n')
    mkdirSync(join(root, 'keys'))
    writeFileSync(join(root, 'keys/server.pem'), '-----BEGIN PRIVATE KEY-----\n')
    const next = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    expect(next.files.map((f) => f.path)).toEqual(['.gitignore'])
    expect(next.unprotected.map((u) => [u.path, u.reason])).toEqual([
      ['.env', 'secret'],
      ['keys/server.pem', 'secret'],
    ])
    await expect(s.readFile(next.id, '.env', 1000)).rejects.toMatchObject({ code: 'not_found' })
    await expect(s.readFile(next.id, 'keys/server.pem', 1000)).rejects.toMatchObject({
      code: 'not_found',
    })
    expect((await s.readFile(next.id, 'id_utils.py', 1000)).content).toBe('ordinary\n')
    expect((await s.readFile(next.id, 'credentials.ts', 1000)).content).toBe('ordinary\n')

    // A restore leaves them as they are.
    writeFileSync(join(root, '.env'), 'KEY=three\n')
    await s.restore(first.id)
    expect(readFileSync(join(root, '.env'), 'utf8')).toBe('KEY=three\n')
    expect(existsSync(join(root, 'keys/server.pem'))).toBe(true)
  })

  it('never captures the temp file a killed restore left behind', async () => {
    writeFileSync(join(root, 'f.txt'), 'one\n')
    const s = await open()
    ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    writeFileSync(join(root, '.f.txt.paddock-0123456789ab'), 'half\n')
    writeFileSync(join(root, '.f.txt.paddock-notatemp'), 'mine\n')
    const next = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    expect(next.files.map((f) => f.path)).toEqual(['.f.txt.paddock-notatemp'])
    expect(next.unprotected).toEqual([])
  })

  it('gives back the exact prior tree when a restore is undone', async () => {
    mkdirSync(join(root, 'a/b'), { recursive: true })
    writeFileSync(join(root, 'a/b/one.txt'), '1\n')
    writeFileSync(join(root, 'a/two.txt'), '2\n')
    const s = await open()
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    sh(root, 'rm -r a/b && echo changed > a/two.txt && mkdir -p c/d && echo 3 > c/d/three.txt')
    sh(root, 'echo x > notes.txt && chmod +x notes.txt')
    const present = fullTree(root)

    const r = await s.restore(cp.id)
    expect(existsSync(join(root, 'c'))).toBe(false) // emptied folders go too
    expect(readFileSync(join(root, 'a/b/one.txt'), 'utf8')).toBe('1\n')
    const undo = await s.restore(r.undoId)
    expect(undo.undoId).not.toBe(r.undoId)
    expect(fullTree(root)).toEqual(present)
  })

  it('restores single files and folders only', async () => {
    mkdirSync(join(root, 'lib'))
    writeFileSync(join(root, 'lib/x.ts'), 'x1\n')
    writeFileSync(join(root, 'lib/y.ts'), 'y1\n')
    writeFileSync(join(root, 'z.ts'), 'z1\n')
    const s = await open()
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    sh(root, 'echo x2 > lib/x.ts && echo y2 > lib/y.ts && echo z2 > z.ts')
    const r = await s.restore(cp.id, { files: ['z.ts'] })
    expect(r.written).toEqual(['z.ts'])
    expect(readFileSync(join(root, 'lib/x.ts'), 'utf8')).toBe('x2\n')
    expect(readFileSync(join(root, 'z.ts'), 'utf8')).toBe('z1\n')
    await s.restore(cp.id, { files: ['lib/'] })
    expect(readFileSync(join(root, 'lib/y.ts'), 'utf8')).toBe('y1\n')
    await expect(s.restore(cp.id, { files: ['../etc/passwd'] })).rejects.toMatchObject({
      code: 'invalid_input',
    })
  })

  it('leaves a nested repository’s .git untouched and never captures it', async () => {
    const nested = join(root, 'vendor/lib')
    mkdirSync(nested, { recursive: true })
    sh(
      nested,
      'git init -q && echo v1 > lib.c && git add lib.c && git -c user.name=t -c user.email=t@t commit -qm one',
    )
    const gitBefore = fullTree(join(nested, '.git'))
    const s = await open()
    const cp = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    sh(nested, 'echo v2 > lib.c && git -c user.name=t -c user.email=t@t commit -qam two')
    const mid = fullTree(join(nested, '.git'))
    ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    await s.restore(cp.id)
    expect(readFileSync(join(nested, 'lib.c'), 'utf8')).toBe('v1\n')
    expect(fullTree(join(nested, '.git'))).toEqual(mid)
    expect(mid).not.toEqual(gitBefore)
    const tree = await s.diff(cp.id, 'worktree')
    expect(tree.files.every((f) => !f.path.includes('.git/'))).toBe(true)
  })

  it('says a snapshot changed nothing, cheaply, and lists checkpoints per session', async () => {
    writeFileSync(join(root, 'f.txt'), 'one\n')
    // Written a minute ago: not "racy" (a file changed in the last seconds is re-hashed when seen).
    utimesSync(join(root, 'f.txt'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    const s = await open()
    const first = ok(
      await s.snapshot({ sessionId: 'sess', reason: 'before-tool', label: 'edit f.txt' }),
    )
    const again = ok(await s.snapshot({ sessionId: 'sess', reason: 'turn-end' }))
    expect(again.changed).toBe(false)
    expect(again.id).toBe(first.id)
    expect(again.hashed).toBe(0)
    writeFileSync(join(root, 'f.txt'), 'two\n')
    const second = ok(await s.snapshot({ sessionId: 'sess', reason: 'turn-end' }))
    const other = ok(await s.snapshot({ sessionId: 'other', reason: 'manual' }))
    expect(other.n).toBe(1)
    const list = await s.list('sess')
    expect(list.map((c) => [c.n, c.id, c.reason, c.label, c.filesChanged])).toEqual([
      [1, first.id, 'before-tool', 'edit f.txt', 0],
      [2, second.id, 'turn-end', null, 1],
    ])
    expect(list[1]!.ref).toBe('refs/paddock/sess/2')
    expect(await s.list('nobody')).toEqual([])
  })

  it('answers bad input with clear errors', async () => {
    const s = await open()
    await expect(s.snapshot({ sessionId: '../x', reason: 'r' })).rejects.toThrow(/session/i)
    await expect(s.snapshot({ sessionId: 's', reason: '' })).rejects.toMatchObject({
      code: 'invalid_input',
    })
    await expect(s.diff('nope', 'worktree')).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(s.restore('0'.repeat(40))).rejects.toMatchObject({ code: 'not_found' })
    await expect(s.prune({ maxCount: -1 })).rejects.toMatchObject({ code: 'invalid_input' })
    await expect(
      openCheckpointStore({ dataDir, workspaceId: 'ws1', root: 'relative/path' }),
    ).rejects.toBeInstanceOf(CheckpointError)
    await expect(openCheckpointStore({ dataDir, workspaceId: 'ws1', root })).rejects.toMatchObject({
      code: 'store_busy',
    })
  })

  it('never captures its own data dir inside the workspace, and serves readers read-only', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n')
    const inner = join(root, '.paddock-data')
    const s = await openCheckpointStore({ dataDir: inner, workspaceId: 'ws1', root })
    store = s
    const first = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    writeFileSync(join(root, 'a.txt'), 'two\n')
    const second = ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' }))
    // The store wrote objects, refs and its cache meanwhile: none of that is a change.
    expect(second.files.map((f) => f.path)).toEqual(['a.txt'])
    expect(ok(await s.snapshot({ sessionId: 'sess', reason: 'manual' })).changed).toBe(false)
    const names = execFileSync(
      'git',
      ['--git-dir', s.storeDir, 'ls-tree', '-r', '--name-only', second.id],
      {
        encoding: 'utf8',
      },
    )
    expect(names).toBe('a.txt\n')

    const reader = await openCheckpointStore({
      dataDir: inner,
      workspaceId: 'ws1',
      root,
      readOnly: true,
    })
    try {
      expect((await reader.list('sess')).map((c) => c.id)).toEqual([first.id, second.id])
      const d = await reader.diff(first.id, second.id)
      expect(d.files.map((f) => [f.path, f.additions, f.deletions])).toEqual([['a.txt', 1, 1]])
      await expect(reader.snapshot({ sessionId: 'sess', reason: 'x' })).rejects.toMatchObject({
        code: 'store_read_only',
      })
    } finally {
      await reader.close()
    }
    await s.close()
    store = null
    await expect(s.snapshot({ sessionId: 'sess', reason: 'x' })).rejects.toMatchObject({
      code: 'store_closed',
    })
  })

  it('refuses the filesystem root and the home folder', async () => {
    await expect(
      openCheckpointStore({ dataDir, workspaceId: 'w', root: '/' }),
    ).rejects.toMatchObject({
      code: 'refused_root',
    })
    await expect(
      openCheckpointStore({ dataDir, workspaceId: 'w', root: homedir() }),
    ).rejects.toMatchObject({ code: 'refused_root' })
    await expect(
      openCheckpointStore({ dataDir, workspaceId: 'w', root, home: root }),
    ).rejects.toMatchObject({ code: 'refused_root' })
  })

  it('frees space when checkpoints are pruned or a session is deleted', async () => {
    const s = await open()
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      writeFileSync(
        join(root, 'data.txt'),
        `${i}\n`.repeat(2000) + createHash('sha1').update(String(i)).digest('hex'),
      )
      ids.push(ok(await s.snapshot({ sessionId: 'keep', reason: 'manual' })).id)
    }
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(root, `scratch-${i}.txt`), `scratch ${i}\n`.repeat(3000))
      ok(await s.snapshot({ sessionId: 'drop', reason: 'manual' }))
    }
    for (let i = 0; i < 4; i++) sh(root, `rm scratch-${i}.txt`)
    // Back to the state of keep/6: nothing new to record.
    expect(ok(await s.snapshot({ sessionId: 'keep', reason: 'manual' })).changed).toBe(false)

    const deleted = await s.deleteSession('drop')
    expect(deleted.removed).toHaveLength(4)
    expect(deleted.bytesAfter).toBeLessThan(deleted.bytesBefore)
    expect(await s.list('drop')).toEqual([])

    const pruned = await s.prune({ maxCount: 3 })
    expect(pruned.removed).toEqual([
      'refs/paddock/keep/1',
      'refs/paddock/keep/2',
      'refs/paddock/keep/3',
    ])
    expect(pruned.bytesAfter).toBeLessThan(pruned.bytesBefore)
    const left = await s.list('keep')
    expect(left.map((c) => c.n)).toEqual([4, 5, 6])
    // What is left still restores, from packed objects.
    await s.restore(ids[4]!)
    expect(readFileSync(join(root, 'data.txt'), 'utf8')).toContain('4\n4\n')
    execFileSync('git', ['--git-dir', s.storeDir, 'fsck', '--strict'], { stdio: 'pipe' })

    const bySize = await s.prune({ maxBytes: 1 })
    expect(bySize.kept).toBe(1)
  })
})
