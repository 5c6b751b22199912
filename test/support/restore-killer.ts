// Child process for the interrupted-restore test: restores a checkpoint through the contract, with
// a checkpoint filesystem that kills this process (-9) right after the restore's first file lands
// in the workspace, so the restore is cut short between two writes.
import { realpathSync } from 'node:fs'
import { sep } from 'node:path'
import { nodeCheckpointFs } from '../../src/main/checkpoints'
import type { CheckpointFs } from '../../src/main/checkpoints'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'

const [dataDir, home, workspace, sessionId, checkpointId] = process.argv.slice(2)
const root = realpathSync(workspace!) + sep
const fs: CheckpointFs = {
  ...nodeCheckpointFs,
  async rename(from, to) {
    await nodeCheckpointFs.rename(from, to)
    if (to.startsWith(root)) process.kill(process.pid, 'SIGKILL')
  },
}
const engine = createEngine({
  dataDir: dataDir!,
  home: home!,
  kind: 'cli',
  logger: createMemoryLogger(),
  checkpoints: { fs },
})
const outcome = await engine.call(
  'checkpoints.restore',
  { sessionId, checkpointId },
  { transport: 'test' },
)
// Reached only if no file was written.
process.stdout.write(`${JSON.stringify(outcome)}\n`)
process.exit(3)
