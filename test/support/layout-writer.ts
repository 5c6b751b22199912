// Child process for the layout crash test: saves two large layouts in turn through the contract as
// fast as it can and prints "ack <n>" after each save has returned (is committed). It is killed
// with -9; whatever is stored afterwards must be one of the two, whole.
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'
import { crashLayout } from './layout-samples'

const [dataDir] = process.argv.slice(2)
const engine = createEngine({ dataDir: dataDir!, kind: 'cli', logger: createMemoryLogger() })
let n = 0
for (;;) {
  const outcome = await engine.call(
    'layout.save',
    { layout: crashLayout(n % 2 === 0 ? 0 : 1) },
    { transport: 'test' },
  )
  if (!outcome.ok) throw new Error(outcome.error.message)
  process.stdout.write(`ack ${n}\n`)
  n += 1
  // Let the engine's timers run now and then, as a host would.
  if (n % 20 === 0) await new Promise((resolve) => setImmediate(resolve))
}
