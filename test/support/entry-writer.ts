// Child process for the crash test: appends entries through the store API as fast as it can and
// prints "ack <id>" only after each append has returned (i.e. is committed). It is killed with -9.
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'

const [dataDir, sessionId] = process.argv.slice(2)
const engine = createEngine({ dataDir: dataDir!, kind: 'cli', logger: createMemoryLogger() })
let n = 0
for (;;) {
  // Occasionally branch from an older entry, so the tree is not just a list.
  const branch = n % 7 === 6
  const leaf = engine.store.getSession(sessionId!).leafId
  const parentId = branch && leaf ? (engine.store.branch(sessionId!)[0]?.id ?? null) : undefined
  const entry = engine.store.appendEntry(sessionId!, {
    type: n % 2 ? 'assistant_message' : 'user_message',
    payload: { n, text: 'x'.repeat(n % 50) },
    ...(parentId !== undefined ? { parentId } : {}),
  })
  process.stdout.write(`ack ${entry.id}\n`)
  n += 1
}
