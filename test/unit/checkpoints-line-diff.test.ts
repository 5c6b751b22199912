import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countLineChanges, unifiedHunks } from '../../src/main/checkpoints'
import { tempDir } from '../support/temp'

let tmp: { path: string; cleanup: () => void }
beforeAll(() => {
  tmp = tempDir('paddock-diff-')
})
afterAll(() => tmp.cleanup())

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(lines: string[], rand: () => number, edits: number): string[] {
  const out = [...lines]
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (out.length + 1))
    const kind = rand()
    if (kind < 0.35 && out.length > 0)
      out.splice(Math.min(at, out.length - 1), 1 + Math.floor(rand() * 3))
    else if (kind < 0.7) out.splice(at, 0, `new line ${Math.floor(rand() * 1000)}`)
    else if (out.length > 0)
      out[Math.min(at, out.length - 1)] = `changed ${Math.floor(rand() * 1000)}`
  }
  return out
}

/** git's own numbers: lines added and deleted by a minimal diff. */
function gitNumstat(a: string, b: string): [number, number] {
  const r = spawnSync('git', ['diff', '--no-index', '--numstat', '--minimal', a, b], {
    encoding: 'utf8',
  })
  const m = /^(\d+)\t(\d+)\t/.exec(r.stdout)
  return m ? [Number(m[1]), Number(m[2])] : [0, 0]
}

/** Apply our patch to a copy of `a` with `git apply`; returns the result. */
function applyOurs(dir: string, a: Buffer, patch: string): Buffer {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'f.txt'), a)
  writeFileSync(join(dir, 'p.diff'), patch)
  execFileSync('git', ['apply', '--unidiff-zero', 'p.diff'], { cwd: dir, stdio: 'pipe' })
  return readFileSync(join(dir, 'f.txt'))
}

describe('line diff', () => {
  it('writes the unified diff git writes for a simple change', () => {
    const a = Buffer.from('one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n')
    const b = Buffer.from('one\ntwo\nTHREE\nfour\nfive\nsix\nseven\neight\nnine\n')
    const d = unifiedHunks(a, b)
    expect(d.hunks).toBe(
      '@@ -1,8 +1,9 @@\n one\n two\n-three\n+THREE\n four\n five\n six\n seven\n eight\n+nine\n',
    )
    expect([d.additions, d.deletions]).toEqual([2, 1])
    const far = unifiedHunks(
      Buffer.from(Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('')),
      Buffer.from(
        Array.from({ length: 20 }, (_, i) => (i === 2 || i === 17 ? 'x\n' : `l${i}\n`)).join(''),
      ),
    )
    expect(far.hunks.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -15,6 +15,6 @@'])
  })

  it('marks a missing newline at the end of a file', () => {
    const d = unifiedHunks(Buffer.from('a\nb'), Buffer.from('a\nb\n'))
    expect(d.hunks).toBe('@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n')
    expect(unifiedHunks(Buffer.from(''), Buffer.from('x\n')).hunks).toBe('@@ -0,0 +1 @@\n+x\n')
    expect(unifiedHunks(Buffer.from('x\n'), Buffer.from('')).hunks).toBe('@@ -1 +0,0 @@\n-x\n')
    expect(unifiedHunks(Buffer.from('same\n'), Buffer.from('same\n'))).toEqual({
      additions: 0,
      deletions: 0,
      hunks: '',
    })
  })

  it('agrees with git on random edits: minimal counts, and patches git apply accepts', () => {
    const rand = rng(42)
    for (let round = 0; round < 40; round++) {
      const size = Math.floor(rand() * 60)
      const base = Array.from({ length: size }, () => `line ${Math.floor(rand() * 12)}`)
      const next = mutate(base, rand, 1 + Math.floor(rand() * 8))
      const eolA = rand() < 0.8 || base.length === 0
      const eolB = rand() < 0.8 || next.length === 0
      const a = Buffer.from(base.join('\n') + (eolA && base.length ? '\n' : ''))
      const b = Buffer.from(next.join('\n') + (eolB && next.length ? '\n' : ''))
      const dir = join(tmp.path, `r${round}`)
      mkdirSync(dir)
      writeFileSync(join(dir, 'a'), a)
      writeFileSync(join(dir, 'b'), b)
      const d = unifiedHunks(a, b)
      expect([d.additions, d.deletions], `round ${round}`).toEqual(
        gitNumstat(join(dir, 'a'), join(dir, 'b')),
      )
      expect(countLineChanges(a, b)).toEqual({ additions: d.additions, deletions: d.deletions })
      if (d.hunks) {
        const patch = `--- a/f.txt\n+++ b/f.txt\n${d.hunks}`
        expect(applyOurs(join(dir, 'apply'), a, patch).equals(b), `round ${round}`).toBe(true)
      }
    }
  })

  it('diffs 5k-line files correctly (scattered edits and a full rewrite)', () => {
    const rand = rng(7)
    const base = Array.from({ length: 5000 }, (_, i) => `const v${i} = ${Math.floor(rand() * 1e6)}`)
    const edited = mutate(base, rand, 40)
    const a = Buffer.from(base.join('\n') + '\n')
    const b = Buffer.from(edited.join('\n') + '\n')
    const dir = join(tmp.path, 'big')
    mkdirSync(dir)
    writeFileSync(join(dir, 'a'), a)
    writeFileSync(join(dir, 'b'), b)
    const d = unifiedHunks(a, b)
    expect([d.additions, d.deletions]).toEqual(gitNumstat(join(dir, 'a'), join(dir, 'b')))
    expect(applyOurs(join(dir, 'apply'), a, `--- a/f.txt\n+++ b/f.txt\n${d.hunks}`).equals(b)).toBe(
      true,
    )

    const rewritten = Buffer.from(base.map((l) => `${l} // changed`).join('\n') + '\n')
    expect(countLineChanges(a, rewritten)).toEqual({ additions: 5000, deletions: 5000 })
  })
})
