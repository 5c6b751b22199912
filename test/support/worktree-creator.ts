// Child process for the kill -9 tests of worktree creation: createWorktree titled "Crash test" in
// the repository argv[2], printing `STEP <step>` at each step and pausing for good at the step
// argv[3] (until it is killed), then `DONE`.
import { createWorktree } from '../../src/main/worktrees'

const [repo, pauseAt] = process.argv.slice(2)
await createWorktree({
  repoRoot: repo!,
  title: 'Crash test',
  async onStep(step) {
    console.log('STEP ' + step)
    // Paused for good: the interval keeps the process alive until it is killed.
    if (step === pauseAt) await new Promise(() => setInterval(() => {}, 1000))
  },
})
console.log('DONE')
