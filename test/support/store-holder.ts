// Child process for the checkpoint tests: holds a workspace's checkpoint store for writing, as a
// process that takes no checkpoints for others would (an older Paddock), and waits to be killed.
import { openCheckpointStore } from '../../src/main/checkpoints'

const [dataDir, workspaceId, root, home] = process.argv.slice(2)
const store = await openCheckpointStore({
  dataDir: dataDir!,
  workspaceId: workspaceId!,
  root: root!,
  home: home!,
  watch: null,
})
process.stdout.write('holding\n')
process.on('SIGTERM', () => {
  void store.close().then(() => process.exit(0))
})
setInterval(() => {}, 1000)
