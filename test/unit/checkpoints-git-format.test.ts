import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readObject } from 'isomorphic-git'
import * as nodeFs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nodeCheckpointFs } from '../../src/main/checkpoints'
import { parseGitIndex } from '../../src/main/checkpoints/git/git-index'
import {
  decodeTree,
  encodeCommit,
  encodeTree,
  hashObject,
  MODE_EXEC,
  MODE_FILE,
  MODE_LINK,
  MODE_TREE,
} from '../../src/main/checkpoints/git/git-object'
import { ObjectStore } from '../../src/main/checkpoints/git/object-store'
import { writePack } from '../../src/main/checkpoints/git/pack-writer'
import { tempDir } from '../support/temp'

let tmp: { path: string; cleanup: () => void }
let repo: string

beforeEach(() => {
  tmp = tempDir('paddock-gitfmt-')
  repo = join(tmp.path, 'repo')
  mkdirSync(repo)
})
afterEach(() => tmp.cleanup())

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp.path },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
}

function gitInput(input: string | Buffer, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, input, encoding: 'utf8' })
}

describe('git index parsing', () => {
  const paths = [
    'README.md',
    'src/app/components/button.tsx',
    'src/app/components/button.test.tsx',
    'src/app/components/buttons/primary.tsx',
    'src/app/z.ts',
    'üñíçødé/名前.txt',
    `deep/${'x'.repeat(120)}/${'y'.repeat(60)}.txt`,
  ]

  function makeIndex(): void {
    git('init', '-q')
    for (const p of paths) {
      mkdirSync(join(repo, p, '..'), { recursive: true })
      writeFileSync(join(repo, p), `${p}\n`)
    }
    writeFileSync(join(repo, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 })
    nodeFs.symlinkSync('README.md', join(repo, 'link'))
    git('add', '-A')
  }

  /** What git says is in the index: mode, id and path of each stage-0 entry, and its stat data. */
  function gitView(): Array<{
    path: string
    mode: number
    oid: string
    size: number
    mtimeSec: number
    ino: number
  }> {
    const staged = git('-c', 'core.quotePath=false', 'ls-files', '-s', '--debug')
    const out = []
    const lines = staged.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const m = /^(\d+) ([0-9a-f]{40}) (\d)\t(.*)$/.exec(lines[i]!)
      if (!m) continue
      const debug = lines.slice(i + 1, i + 6).join('\n')
      out.push({
        path: m[4]!,
        mode: parseInt(m[1]!, 8),
        oid: m[2]!,
        size: Number(/size: (\d+)/.exec(debug)![1]),
        mtimeSec: Number(/mtime: (\d+):/.exec(debug)![1]),
        ino: Number(/ino: (\d+)/.exec(debug)![1]),
      })
    }
    return out
  }

  it.each([2, 3, 4])('reads a version %i index as git does', (version) => {
    makeIndex()
    if (version === 3) {
      writeFileSync(join(repo, 'later.ts'), 'x\n')
      git('add', '-N', 'later.ts') // intent-to-add needs the extended flags of version 3
    } else git('update-index', '--index-version', String(version))
    const buf = readFileSync(join(repo, '.git/index'))
    expect(buf.readUInt32BE(4)).toBe(version)
    const parsed = parseGitIndex(buf)
    if (!parsed.ok) throw new Error(parsed.reason)
    expect(parsed.version).toBe(version)
    const ours = parsed.entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      oid: e.oid,
      size: e.size,
      mtimeSec: e.mtimeSec,
      ino: e.ino,
    }))
    expect(ours).toEqual(gitView())
    expect(parsed.entries.find((e) => e.path === 'run.sh')!.mode).toBe(MODE_EXEC)
    expect(parsed.entries.find((e) => e.path === 'link')!.mode).toBe(MODE_LINK)
    if (version === 3)
      expect(parsed.entries.find((e) => e.path === 'later.ts')!.untrusted).toBe(true)
  })

  it('drops conflicted entries and refuses split indexes and bad checksums', () => {
    git('init', '-q', '-b', 'main')
    const id = ['-c', 'user.name=t', '-c', 'user.email=t@t']
    writeFileSync(join(repo, 'f.txt'), 'base\n')
    writeFileSync(join(repo, 'ok.txt'), 'fine\n')
    git('add', '-A')
    git(...id, 'commit', '-qm', 'base')
    git('checkout', '-qb', 'other')
    writeFileSync(join(repo, 'f.txt'), 'other\n')
    git(...id, 'commit', '-qam', 'other')
    git('checkout', '-q', 'main')
    writeFileSync(join(repo, 'f.txt'), 'main\n')
    git(...id, 'commit', '-qam', 'main')
    expect(() => git(...id, 'merge', '-q', 'other')).toThrow()
    const conflicted = parseGitIndex(readFileSync(join(repo, '.git/index')))
    if (!conflicted.ok) throw new Error(conflicted.reason)
    expect(conflicted.entries.map((e) => e.path)).toEqual(['ok.txt'])

    const bad = Buffer.from(readFileSync(join(repo, '.git/index')))
    bad[20] = bad[20]! ^ 0xff
    expect(parseGitIndex(bad)).toEqual({ ok: false, reason: 'index checksum' })

    git('merge', '--abort')
    git('update-index', '--split-index')
    expect(parseGitIndex(readFileSync(join(repo, '.git/index')))).toEqual({
      ok: false,
      reason: 'split index',
    })
    expect(parseGitIndex(Buffer.from('not an index at all, really'))).toMatchObject({ ok: false })
  })
})

describe('git objects', () => {
  it('hashes blobs, trees and commits as git does', () => {
    git('init', '-q')
    const content = Buffer.from('hello\0binary\n')
    expect(hashObject('blob', content)).toBe(gitInput(content, 'hash-object', '--stdin').trim())

    const blob = hashObject('blob', Buffer.from('x'))
    // Names whose order depends on git's "a tree sorts as if it ended in /" rule.
    const entries = [
      { name: 'a', mode: MODE_TREE, oid: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
      { name: 'a-b', mode: MODE_FILE, oid: blob },
      { name: 'a.c', mode: MODE_EXEC, oid: blob },
      { name: 'a0', mode: MODE_LINK, oid: blob },
      { name: 'Zed', mode: MODE_FILE, oid: blob },
      { name: 'é', mode: MODE_FILE, oid: blob },
    ]
    gitInput(Buffer.alloc(0), 'hash-object', '-w', '--stdin', '-t', 'tree')
    gitInput(Buffer.from('x'), 'hash-object', '-w', '--stdin')
    const mktree = entries
      .map(
        (e) =>
          `${e.mode.toString(8).padStart(6, '0')} ${e.mode === MODE_TREE ? 'tree' : 'blob'} ${e.oid}\t${e.name}`,
      )
      .join('\n')
    const tree = encodeTree(entries)
    const treeOid = gitInput(`${mktree}\n`, 'mktree').trim()
    expect(hashObject('tree', tree)).toBe(treeOid)
    expect(decodeTree(tree).map((e) => e.name)).toEqual(['Zed', 'a-b', 'a.c', 'a', 'a0', 'é'])

    const commit = encodeCommit({
      tree: treeOid,
      parents: [],
      time: 1_700_000_000,
      message: 'subject\n\nbody\n',
    })
    const commitOid = gitInput(commit, 'hash-object', '-w', '--stdin', '-t', 'commit').trim()
    expect(hashObject('commit', commit)).toBe(commitOid)
    expect(git('log', '--format=%s|%at', commitOid)).toBe('subject|1700000000\n')
  })

  it('writes packs git verifies and isomorphic-git reads', async () => {
    git('init', '-q', '--bare', 'store.git')
    const gitdir = join(repo, 'store.git')
    const store = new ObjectStore(nodeCheckpointFs, gitdir)
    const oids: string[] = []
    for (let i = 0; i < 300; i++) {
      oids.push(await store.write('blob', Buffer.from(`blob number ${i}\n`.repeat(1 + (i % 50)))))
    }
    const big = Buffer.alloc(300_000, 7)
    oids.push(await store.write('blob', big))
    const pack = await writePack(nodeCheckpointFs, store.objectsDir, {
      oids,
      read: (oid) => store.read(oid),
    })
    expect(pack).not.toBeNull()
    for (const oid of oids) await store.deleteLoose(oid)
    await store.invalidatePacks()
    const verify = execFileSync('git', ['verify-pack', '-v', pack!.idxPath], {
      encoding: 'utf8',
    })
    expect(verify).toMatch(/ok$/m)
    execFileSync('git', ['--git-dir', gitdir, 'fsck', '--strict'], { stdio: 'pipe' })
    const read = await readObject({ fs: nodeFs, gitdir, oid: oids[300]!, format: 'content' })
    expect(Buffer.from(read.object as Uint8Array).equals(big)).toBe(true)
    expect((await store.read(oids[7]!)).content.toString()).toBe('blob number 7\n'.repeat(8))
    expect(await store.has(oids[123]!)).toBe(true)
  })
})

describe('reading the user’s packs', () => {
  it.each([
    ['offset deltas', []],
    ['ref deltas', ['--no-delta-base-offset']],
  ])('reads every object of a deltified pack as git does (%s)', async (_, flags) => {
    git('init', '-q')
    const id = ['-c', 'user.name=t', '-c', 'user.email=t@t']
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} of a file that changes a little`)
    for (let v = 0; v < 12; v++) {
      text[v * 7] = `version ${v} edit`
      writeFileSync(join(repo, 'doc.txt'), text.join('\n') + '\n')
      writeFileSync(join(repo, `copy${v % 3}.txt`), text.slice(v).join('\n'))
      git('add', '-A')
      git(...id, 'commit', '-qm', `v${v}`)
    }
    // Repack everything into one pack, deltas allowed (offset or ref deltas), loose copies gone.
    const listing = git('rev-list', '--objects', '--all')
    const packDir = join(repo, '.git/objects/pack')
    execFileSync('git', ['pack-objects', '-q', '--window=50', ...flags, join(packDir, 'pack')], {
      cwd: repo,
      input: listing,
    })
    git('prune-packed')
    git('prune', '--expire=now')
    const verbose = git(
      'verify-pack',
      '-v',
      ...readdirSync(packDir)
        .filter((f) => f.endsWith('.idx'))
        .map((f) => join(packDir, f)),
    )
    expect(verbose).toMatch(/chain length = [1-9]/) // there are deltas to resolve

    const store = new ObjectStore(nodeCheckpointFs, join(repo, '.git'))
    const oids = listing
      .trim()
      .split('\n')
      .map((l) => l.slice(0, 40))
    for (const oid of oids) {
      const ours = await store.read(oid)
      const type = git('cat-file', '-t', oid).trim()
      const theirs = execFileSync('git', ['cat-file', type, oid], { cwd: repo })
      expect(ours.type).toBe(type)
      expect(ours.content.equals(theirs)).toBe(true)
    }
    await store.close()
  })
})
