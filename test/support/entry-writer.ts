// Child process for the crash test: appends entries through the store API as fast as it can and
// prints "ack <id>" only after each append has returned (i.e. is committed). It is killed with -9.
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'

const [dataDir, sessionId] = process.argv.slice(2)
const engine = createEngine({ dataDir: dataDir!, kind: 'cli', logger: createMemoryLogger() })
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
let n = 0
for (;;) {
  // Occasionally branch from an older entry, so the tree is not just a list.
  const branch = n % 7 === 6
  const leaf = engine.store.getSession(sessionId!).leafId
  const parentId = branch && leaf ? (engine.store.branch(sessionId!)[0]?.id ?? null) : undefined
  const at = parentId !== undefined ? { parentId } : {}
  const text = `${n} ${'x'.repeat(n % 50)}`
  const entry =
    n % 2
      ? engine.store.appendEntry(sessionId!, {
          type: 'assistant_message',
          payload: {
            content: text,
            reasoning: '',
            toolCalls: [],
            finishReason: 'stop',
            usage,
            model: 'm',
          },
          ...at,
        })
      : engine.store.appendEntry(sessionId!, {
          type: 'user_message',
          payload: { text, kind: 'prompt' },
          ...at,
        })
  process.stdout.write(`ack ${entry.id}\n`)
  n += 1
}
