import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openCheckpointStore } from '../../src/main/checkpoints'
import type { CheckpointStore, SnapshotOk, SnapshotResult } from '../../src/main/checkpoints'
import { tempDir } from '../support/temp'

/** Every entry below `dir`: path → mode and content hash (for byte-identity checks). */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const visit = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name)
      const r = rel ? `${rel}/${name}` : name
      const st = lstatSync(p)
      if (st.isSymbolicLink()) out[r] = `link ${readlinkSync(p)}`
      else if (st.isDirectory()) {
        out[r] = `dir ${(st.mode & 0o7777).toString(8)}`
        visit(p, r)
      } else {
        const sum = createHash('sha1').update(readFileSync(p)).digest('hex')
        out[r] = `${(st.mode & 0o7777).toString(8)} ${st.mtimeMs} ${sum}`
      }
    }
  }
  visit(dir, '')
  return out
}

let tmp: { path: string; cleanup: () => void }
let root: string
let dataDir: string
let home: string
let store: CheckpointStore | null

/** git with a fake home (no user config leaks in) and a fixed identity. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

function ok(r: SnapshotResult): SnapshotOk {
  if (!r.ok) throw new Error(`snapshot failed: ${r.message}`)
  return r
}

const OLD = new Date(Date.now() - 3600_000)

/** A repository of `n` committed files with old mtimes (so the index entries are not racy). */
function makeRepo(n: number): void {
  git(root, 'init', '-q')
  for (let i = 0; i < n; i++) {
    const dir = join(root, `pkg${i % 7}`, `mod${i % 3}`)
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `file${i}.ts`)
    writeFileSync(file, `export const value${i} = ${i}\n`.repeat(1 + (i % 5)))
    utimesSync(file, OLD, OLD)
  }
  git(root, 'add', '-A')
  git(root, 'commit', '-qm', 'initial')
}

beforeEach(() => {
  tmp = tempDir('paddock-cpgit-')
  root = join(tmp.path, 'repo')
  dataDir = join(tmp.path, 'data')
  home = join(tmp.path, 'home')
  mkdirSync(root)
  mkdirSync(home)
  store = null
})

afterEach(async () => {
  await store?.close()
  tmp.cleanup()
})

async function open(): Promise<CheckpointStore> {
  store = await openCheckpointStore({ dataDir, workspaceId: 'ws', root, home })
  return store
}

describe('checkpoint store in a git repository', () => {
  it('leaves the user’s .git byte-identical through snapshots and restores', async () => {
    makeRepo(40)
    git(root, 'gc', '-q')
    writeFileSync(join(root, 'untracked.txt'), 'u\n')
    const before = hashTree(join(root, '.git'))
    const s = await open()
    const first = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    writeFileSync(join(root, 'pkg1/mod1/file1.ts'), 'changed\n')
    execFileSync('rm', [join(root, 'pkg2/mod2/file2.ts')])
    ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    const r = await s.restore(first.id)
    await s.restore(r.undoId)
    await s.diff(first.id, 'worktree')
    await s.prune({ maxCount: 1 })
    await s.close()
    store = null
    expect(hashTree(join(root, '.git'))).toEqual(before)
  })

  it('seeds a cold start from the git index: blobs copied, not re-hashed (loose and packed)', async () => {
    // 150 files: enough that the blobs go into one pack of ours rather than one file each.
    makeRepo(150)
    const s = await open()
    const first = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(first.copied).toBe(150)
    expect(first.hashed).toBe(0)
    // Real git agrees on every blob.
    const ours = execFileSync('git', ['--git-dir', s.storeDir, 'ls-tree', '-r', first.id], {
      encoding: 'utf8',
    })
    expect(ours).toBe(git(root, 'ls-tree', '-r', 'HEAD'))
    await s.close()

    // Packed objects (after git gc), in a fresh store.
    git(root, 'gc', '-q')
    expect(readdirSync(join(root, '.git/objects/pack')).some((f) => f.endsWith('.pack'))).toBe(true)
    store = await openCheckpointStore({ dataDir, workspaceId: 'packed', root, home })
    const packed = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(packed.copied).toBe(150)
    expect(packed.hashed).toBe(0)
    expect(packed.id).not.toBe('')
  })

  it('reads index versions 3 and 4, and falls back to hashing for a split index', async () => {
    makeRepo(20)
    writeFileSync(join(root, 'intent.ts'), 'new\n')
    git(root, 'add', '-N', 'intent.ts') // intent-to-add: extended flags, version 3
    expect(readFileSync(join(root, '.git/index')).readUInt32BE(4)).toBe(3)
    const s = await open()
    let r = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([20, 1])
    await s.close()

    git(root, 'update-index', '--index-version', '4')
    expect(readFileSync(join(root, '.git/index')).readUInt32BE(4)).toBe(4)
    store = await openCheckpointStore({ dataDir, workspaceId: 'v4', root, home })
    r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([20, 1])
    await store.close()

    git(root, 'rm', '-q', '--cached', 'intent.ts') // a split index cannot hold extended flags
    git(root, 'update-index', '--index-version', '2')
    git(root, 'update-index', '--split-index')
    expect(readdirSync(join(root, '.git')).some((f) => f.startsWith('sharedindex.'))).toBe(true)
    store = await openCheckpointStore({ dataDir, workspaceId: 'split', root, home })
    r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([0, 21])
    expect(r.warnings.join('\n')).toMatch(/git index not used \(split index\)/)
  })

  it('does not trust an index entry whose file changed, or that is racy', async () => {
    makeRepo(10)
    writeFileSync(join(root, 'pkg3/mod0/file3.ts'), 'edited after git add\n') // stat differs
    const s = await open()
    const r = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([9, 1])
    const shown = execFileSync(
      'git',
      ['--git-dir', s.storeDir, 'show', `${r.id}:pkg3/mod0/file3.ts`],
      {
        encoding: 'utf8',
      },
    )
    expect(shown).toBe('edited after git add\n')
    await s.close()

    // Racy: entries not older than the index file itself are never trusted (git's rule), even
    // though their stat matches.
    const before = new Date(OLD.getTime() - 10_000)
    utimesSync(join(root, '.git/index'), before, before)
    store = await openCheckpointStore({ dataDir, workspaceId: 'racy', root, home })
    const racy = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([racy.copied, racy.hashed]).toEqual([0, 10])
  })

  it('restores a file from the first snapshot after its blob is gone from the user’s repo', async () => {
    makeRepo(5)
    writeFileSync(join(root, 'keep.txt'), 'precious\n')
    utimesSync(join(root, 'keep.txt'), OLD, OLD)
    git(root, 'add', 'keep.txt')
    git(root, 'commit', '-qm', 'add keep')
    const blob = git(root, 'rev-parse', 'HEAD:keep.txt').trim()
    const s = await open()
    const first = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    expect(first.copied).toBe(6)

    // Rewrite history so nothing in the user's repo reaches that blob, then prune it.
    git(root, 'rm', '-q', 'keep.txt')
    git(root, 'commit', '-q', '--amend', '--allow-empty', '-m', 'never had keep')
    git(root, 'reflog', 'expire', '--expire=now', '--all')
    git(root, 'gc', '-q', '--prune=now')
    expect(() => git(root, 'cat-file', '-e', blob)).toThrow()

    const r = await s.restore(first.id, { files: ['keep.txt'] })
    expect(r.written).toEqual(['keep.txt'])
    expect(readFileSync(join(root, 'keep.txt'), 'utf8')).toBe('precious\n')
  })

  it('is a repository real git reads: fsck, cat-file, log', async () => {
    makeRepo(8)
    const s = await open()
    const a = ok(await s.snapshot({ sessionId: 'sess-1', reason: 'before-tool', label: 'edit' }))
    writeFileSync(join(root, 'pkg0/mod0/file0.ts'), 'v2\n')
    const b = ok(await s.snapshot({ sessionId: 'sess-1', reason: 'turn-end' }))
    const gd = ['--git-dir', s.storeDir]
    execFileSync('git', [...gd, 'fsck', '--strict', '--full', '--no-dangling'], { stdio: 'pipe' })
    expect(execFileSync('git', [...gd, 'cat-file', '-t', b.id], { encoding: 'utf8' })).toBe(
      'commit\n',
    )
    expect(
      execFileSync('git', [...gd, 'cat-file', 'blob', `${b.ref}:pkg0/mod0/file0.ts`], {
        encoding: 'utf8',
      }),
    ).toBe('v2\n')
    expect(
      execFileSync('git', [...gd, 'for-each-ref', '--format=%(refname) %(objectname)'], {
        encoding: 'utf8',
      }),
    ).toBe(`refs/paddock/sess-1/1 ${a.id}\nrefs/paddock/sess-1/2 ${b.id}\n`)
    const log = execFileSync('git', [...gd, 'log', '--format=%s', b.ref], { encoding: 'utf8' })
    expect(log).toBe('turn-end\n')
  })

  it('captures what git would track: nested .gitignore, info/exclude, global excludes, .paddockignore', async () => {
    git(root, 'init', '-q')
    mkdirSync(join(home, '.config/git'), { recursive: true })
    writeFileSync(join(home, '.gitconfig'), '[core]\n\texcludesFile = ~/global-ignore\n')
    writeFileSync(join(home, 'global-ignore'), '*.swp\n')
    writeFileSync(join(root, '.git/info/exclude'), 'local-only/\n')
    writeFileSync(join(root, '.gitignore'), '*.log\n!keep.log\ndist/\n')
    const files = [
      'a.ts',
      'a.ts.swp',
      'debug.log',
      'keep.log',
      'dist/bundle.js',
      'local-only/x',
      'src/.gitignore',
      'src/gen/out.ts',
      'src/gen/keep.ts',
      'src/main.ts',
      'docs/draft.md',
      'docs/.paddockignore',
      'sub/dist/inner.js',
    ]
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true })
      writeFileSync(join(root, f), `${f}\n`)
    }
    writeFileSync(join(root, 'src/.gitignore'), 'gen/*\n!gen/keep.ts\n')
    writeFileSync(join(root, 'docs/.paddockignore'), 'draft.md\n')
    const s = await open()
    const r = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    const ours = execFileSync(
      'git',
      ['--git-dir', s.storeDir, 'ls-tree', '-r', '--name-only', r.id],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
    const theirs = git(root, 'ls-files', '--cached', '--others', '--exclude-standard')
      .trim()
      .split('\n')
      .filter((f) => f !== 'docs/draft.md') // ignored by .paddockignore only
    expect(ours.sort()).toEqual(theirs.sort())
    expect(ours).toContain('keep.log')
    expect(ours).toContain('src/gen/keep.ts')
    expect(ours).not.toContain('a.ts.swp')
  })

  it('uses the XDG global ignore file by default and never captures a .git file', async () => {
    git(root, 'init', '-q')
    const xdg = join(home, 'xdg')
    mkdirSync(join(xdg, 'git'), { recursive: true })
    writeFileSync(join(xdg, 'git/ignore'), '*.bak\n')
    mkdirSync(join(root, 'sub'))
    writeFileSync(join(root, 'sub/.git'), 'gitdir: /somewhere/else\n') // a worktree's .git file
    writeFileSync(join(root, 'sub/code.ts'), 'x\n')
    writeFileSync(join(root, 'old.bak'), 'backup\n')
    store = await openCheckpointStore({
      dataDir,
      workspaceId: 'ws',
      root,
      home,
      xdgConfigHome: xdg,
    })
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    const names = execFileSync(
      'git',
      ['--git-dir', store.storeDir, 'ls-tree', '-r', '--name-only', r.id],
      {
        encoding: 'utf8',
      },
    )
    expect(names).toBe('sub/code.ts\n')
  })

  it('seeds from a linked worktree (its own index, the main repository’s objects)', async () => {
    makeRepo(12)
    const wt = join(tmp.path, 'wt')
    git(root, 'worktree', 'add', '-q', wt)
    for (const f of git(wt, 'ls-files').trim().split('\n')) utimesSync(join(wt, f), OLD, OLD)
    git(wt, 'update-index', '--really-refresh')
    const before = hashTree(join(root, '.git'))
    store = await openCheckpointStore({ dataDir, workspaceId: 'wt', root: wt, home })
    const r = ok(await store.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([12, 0])
    await store.restore(r.id)
    expect(hashTree(join(root, '.git'))).toEqual(before)
  })

  it('handles a workspace that is a sub-folder of a repository', async () => {
    const top = root
    git(top, 'init', '-q')
    writeFileSync(join(top, '.gitignore'), '*.tmp\n')
    mkdirSync(join(top, 'app/src'), { recursive: true })
    for (const f of ['app/src/a.ts', 'app/b.ts', 'app/c.tmp', 'other.ts']) {
      writeFileSync(join(top, f), `${f}\n`)
      utimesSync(join(top, f), OLD, OLD)
    }
    git(top, 'add', '-A')
    root = join(top, 'app')
    const s = await open()
    const r = ok(await s.snapshot({ sessionId: 's', reason: 'manual' }))
    expect([r.copied, r.hashed]).toEqual([2, 0])
    const names = execFileSync(
      'git',
      ['--git-dir', s.storeDir, 'ls-tree', '-r', '--name-only', r.id],
      {
        encoding: 'utf8',
      },
    )
    expect(names).toBe('b.ts\nsrc/a.ts\n')
  })
})
