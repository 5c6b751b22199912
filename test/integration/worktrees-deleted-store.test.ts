/**
 * A deleted worktree's save lives in the workspace's checkpoint store, written by the git CLI while
 * the store is open: the store's own GC (prune, deleteSession, the sweep of a session called
 * "deleted") keeps the save with its whole history, so a restore works even after the user's
 * repository forgot the branch's commits (`git gc --prune=now`).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'
import { openCheckpointStore, storeLayout } from '../../src/main/checkpoints/store'
import { withCollectLock } from '../../src/main/checkpoints/store/collect-lock'
import { layoutOfGitdir } from '../../src/main/checkpoints/store/layout'
import { nodeCheckpointFs } from '../../src/main/checkpoints/git/fs-ops'
import {
  createWorktree,
  deleteWorktree,
  listDeleted,
  restoreDeleted,
} from '../../src/main/worktrees'

const cleanups: (() => void | Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.()
})

function setup(): { repo: string; dataDir: string; workspace: string; store: string } {
  const t = tempDir()
  cleanups.push(t.cleanup)
  const repo = initRepo(join(t.path, 'répo with space'), { 'app.txt': 'v1\n' })
  const workspace = join(t.path, 'workspace')
  mkdirSync(workspace)
  writeFileSync(join(workspace, 'a.txt'), 'checkpointed\n')
  const dataDir = join(t.path, 'data')
  return { repo, dataDir, workspace, store: storeLayout(dataDir, 'ws-1').gitdir }
}

describe('deleted worktree saves in the checkpoint store', () => {
  it('survive the store’s GC and sweeps, and restore after the repository forgot the commits', async () => {
    const { repo, dataDir, workspace, store } = setup()
    const cp = await openCheckpointStore({ dataDir, workspaceId: 'ws-1', root: workspace })
    cleanups.push(() => cp.close())
    await cp.snapshot({ sessionId: 's1', reason: 'manual' })

    // Over git's unpack limit (100 objects): the store receives a pack, which its GC must read.
    const wt = await createWorktree({ repoRoot: repo, title: '2024' })
    mkdirSync(join(wt.path, 'many'))
    for (let i = 0; i < 150; i++) writeFileSync(join(wt.path, 'many', `f${i}.txt`), `file ${i}\n`)
    g(wt.path, 'add', '-A')
    g(wt.path, 'commit', '-qm', 'only in the worktree')
    const tip = g(wt.path, 'rev-parse', 'HEAD').trim()
    writeFileSync(join(wt.path, 'dirty ü.txt'), 'uncommitted\n')
    // Deleted while the store is open in this process (its lock held).
    const deleted = await deleteWorktree({ repoRoot: repo, storeGitdir: store, ...wt, force: true })
    expect(deleted.ref).toBe('refs/paddock/deleted/2024')
    expect(readdirSync(join(store, 'objects', 'pack')).some((n) => n.endsWith('.pack'))).toBe(true)

    // The repository forgets the branch's commits entirely.
    g(repo, 'reflog', 'expire', '--expire=now', '--all')
    g(repo, 'gc', '-q', '--prune=now')
    expect(() =>
      execFileSync('git', ['cat-file', '-e', tip], { cwd: repo, stdio: 'ignore' }),
    ).toThrow()

    // The store's GC, three ways: a sweep of "deleted" taken for a session, a session's delete,
    // a prune. None drops the save (an all-digit slug looks like a checkpoint number).
    expect((await cp.deleteSession('deleted')).removed).toEqual([])
    writeFileSync(join(workspace, 'a.txt'), 'changed\n')
    await cp.snapshot({ sessionId: 's2', reason: 'manual' })
    await cp.deleteSession('s1')
    await cp.prune({ maxCount: 1 })
    execFileSync('git', [`--git-dir=${store}`, 'fsck', '--connectivity-only', '--no-dangling'], {
      stdio: 'ignore',
    })
    expect((await listDeleted(store)).map((s) => s.slug)).toEqual(['2024'])
    expect(await cp.list('s2')).toHaveLength(1)

    const back = await restoreDeleted({ repoRoot: repo, storeGitdir: store, slug: '2024' })
    expect(g(back.path, 'rev-parse', 'HEAD').trim()).toBe(tip)
    expect(readFileSync(join(back.path, 'many', 'f149.txt'), 'utf8')).toBe('file 149\n')
    expect(readFileSync(join(back.path, 'dirty ü.txt'), 'utf8')).toBe('uncommitted\n')
    expect(g(back.path, 'status', '--porcelain').trim()).toBe('?? "dirty \\303\\274.txt"')
    // Restored, the save is dropped from the store; the repository holds no Paddock ref.
    expect(await listDeleted(store)).toEqual([])
    expect(g(repo, 'for-each-ref', 'refs/paddock').trim()).toBe('')
  })

  it('waits for a running GC before writing a save into the store', async () => {
    const { repo, store } = setup()
    const wt = await createWorktree({ repoRoot: repo, title: 'waits' })
    writeFileSync(join(wt.path, 'x.txt'), 'x\n')
    mkdirSync(join(store, 'paddock'), { recursive: true })
    const order: string[] = []
    // Stands for the store's GC holding the collect lock.
    const gc = withCollectLock(nodeCheckpointFs, layoutOfGitdir(store), async () => {
      await new Promise((r) => setTimeout(r, 300))
      order.push('gc done')
    })
    await new Promise((r) => setTimeout(r, 20))
    const del = deleteWorktree({ repoRoot: repo, storeGitdir: store, ...wt, force: true }).then(
      () => order.push('saved'),
    )
    await Promise.all([gc, del])
    expect(order).toEqual(['gc done', 'saved'])
    expect(existsSync(join(store, 'paddock', 'collect.lock'))).toBe(false)
    expect((await listDeleted(store)).map((s) => s.slug)).toEqual(['waits'])
  })
})
