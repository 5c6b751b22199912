// Child process for the lease test: drives one session (takes its lease) and waits to be killed.
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'

const [dataDir, sessionId] = process.argv.slice(2)
const engine = createEngine({ dataDir: dataDir!, kind: 'web', logger: createMemoryLogger() })
const outcome = await engine.call('sessions.lease', { sessionId }, { transport: 'test' })
process.stdout.write(outcome.ok ? 'leased\n' : `failed ${JSON.stringify(outcome.error)}\n`)
process.on('SIGTERM', () => {
  engine.close()
  process.exit(0)
})
setInterval(() => {}, 1000)
