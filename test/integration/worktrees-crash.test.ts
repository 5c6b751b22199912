/**
 * kill -9 during worktree creation: a child process runs createWorktree (through tsx) and is
 * killed at each step and at moments inside `git worktree add`; recoverWorktrees on the next start
 * must leave nothing half-made — no folder, no admin entry, no branch, no marker — and the same
 * title must get the same name again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import { startCreator } from '../support/worktree-crash'
import { createWorktree, recoverWorktrees } from '../../src/main/worktrees'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.()
})

/** A repository with 300 files (so `git worktree add` takes a moment) and a `.env` to copy. */
function makeRepo(): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const files: Record<string, string> = {}
  for (let i = 0; i < 300; i++) files[`f${i}.txt`] = `file ${i}\n`.repeat(50)
  return initRepo(join(t.path, 'crash répo'), {
    ...files,
    '.gitignore': '.env\n',
    '.paddock/worktree.json': JSON.stringify({ copy: ['.env'] }),
    '.env': 'A=1\n',
  })
}

/** Runs the child in its own process group and kills the whole group with SIGKILL. */
async function killDuring(
  repo: string,
  pauseAt: string,
  waitFor: RegExp,
  delayMs: number,
): Promise<void> {
  const creator = await startCreator(repo, pauseAt, waitFor)
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs))
  await creator.kill() // the child and any git it started
}

function expectNothingHalfMade(repo: string): void {
  expect(g(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1)
  expect(g(repo, 'branch', '--list', 'paddock/*').trim()).toBe('')
  const root = join(dirname(repo), 'crash répo.worktrees')
  expect(existsSync(root) ? readdirSync(root) : []).toEqual([])
  const admin = join(repo, '.git', 'worktrees')
  expect(existsSync(admin) ? readdirSync(admin) : []).toEqual([])
  const markers = join(repo, '.git', 'paddock', 'creating')
  expect(existsSync(markers) ? readdirSync(markers) : []).toEqual([])
  expect(g(repo, 'status', '--porcelain').trim()).toBe('')
}

describe('kill -9 during createWorktree', () => {
  for (const step of ['marked', 'added', 'copied']) {
    it(`recovers a creation killed after "${step}"`, async () => {
      const repo = makeRepo()
      await killDuring(repo, step, new RegExp(`^STEP ${step}$`), 0)
      const made = join(dirname(repo), 'crash répo.worktrees', 'crash-test')
      if (step !== 'marked') expect(existsSync(made)).toBe(true) // half-made before recovery
      const { removed } = await recoverWorktrees(repo)
      expect(removed.map((r) => r.branch)).toEqual(['paddock/crash-test'])
      expectNothingHalfMade(repo)
      const again = await createWorktree({ repoRoot: repo, title: 'Crash test' })
      expect(again.path).toBe(made)
      expect(again.copied).toEqual(['.env'])
    })
  }

  it('leaves alone a creation whose process still runs (another Paddock), then cleans it once gone', async () => {
    const repo = makeRepo()
    const creator = await startCreator(repo, 'added', /^STEP added$/)
    const live = await recoverWorktrees(repo)
    expect(live.removed).toEqual([])
    expect(live.inProgress.map((r) => r.branch)).toEqual(['paddock/crash-test'])
    expect(existsSync(join(dirname(repo), 'crash répo.worktrees', 'crash-test'))).toBe(true)
    await creator.kill()
    expect((await recoverWorktrees(repo)).removed.map((r) => r.branch)).toEqual([
      'paddock/crash-test',
    ])
    expectNothingHalfMade(repo)
  })

  it('removes the locked admin entry git worktree add leaves when killed before it wrote gitdir', async () => {
    const repo = makeRepo()
    await killDuring(repo, 'added', /^STEP added$/, 0)
    // What a kill inside `git worktree add` leaves: its "initializing" lock, no gitdir yet.
    const admin = join(repo, '.git', 'worktrees', 'crash-test')
    writeFileSync(join(admin, 'locked'), 'initializing')
    rmSync(join(admin, 'gitdir'))
    g(repo, 'worktree', 'prune')
    expect(existsSync(admin)).toBe(true) // prune alone keeps a locked entry
    await recoverWorktrees(repo)
    expectNothingHalfMade(repo)
  })

  it('recovers creations killed inside git worktree add', async () => {
    const repo = makeRepo()
    for (const delay of [1, 5, 10, 20, 35, 50]) {
      // Paused for good after "added": on a fast machine `git worktree add` may be over before the
      // kill, and the kill must still find a creation under way, never a finished one.
      await killDuring(repo, 'added', /^STEP marked$/, delay)
      await recoverWorktrees(repo)
      expectNothingHalfMade(repo)
    }
    // Recovery with nothing to do is harmless.
    expect(await recoverWorktrees(repo)).toEqual({ removed: [], inProgress: [], left: [] })
  })
})
