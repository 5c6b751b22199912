/** Killing a worktree creation midway: the child `worktree-creator.ts` and its process group. */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './paths'
import { waitForLine } from './spawn'

const CREATOR = join(REPO_ROOT, 'test/support/worktree-creator.ts')

export interface Creator {
  /** SIGKILL the child and any git it started (its process group); resolves once it exited. */
  kill(): Promise<void>
}

/**
 * Start creating the worktree "Crash test" in `repo` in a child process of its own group, paused
 * for good at the step `pauseAt`; resolves once the child printed a line matching `waitFor`.
 */
export async function startCreator(
  repo: string,
  pauseAt: string,
  waitFor: RegExp,
): Promise<Creator> {
  const child = spawn(process.execPath, ['--import', 'tsx', CREATOR, repo, pauseAt], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  await waitForLine(child, waitFor)
  return {
    async kill() {
      process.kill(-(child.pid as number), 'SIGKILL')
      await exited
    },
  }
}
