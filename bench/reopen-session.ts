import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import type { BenchLine } from './run'

const ENTRIES = 10_000
const RUNS = 7

/**
 * Budget "reopen a session of 10k entries ≤ 200 ms to first paint": the engine's share — open the
 * database cold (new process state: new connection, migrations check) and derive the 10k-entry
 * conversation leaf → root through the contract. Median of several runs.
 */
export async function reopenSessionBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-'))
  try {
    const dataDir = join(root, 'data')
    mkdirSync(join(root, 'p'))
    const setup = createEngine({ dataDir, kind: 'cli', logger: createMemoryLogger() })
    const ws = setup.store.openWorkspace(join(root, 'p'), 'p')
    const session = setup.store.createSession(ws.id)
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8)
    const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
    setup.db.transaction(() => {
      for (let i = 0; i < ENTRIES; i++) {
        if (i % 2) {
          setup.store.appendEntry(session.id, {
            type: 'assistant_message',
            payload: {
              content: `${i} ${text}`,
              reasoning: '',
              toolCalls: [],
              finishReason: 'stop',
              usage,
              model: 'bench',
            },
          })
        } else {
          setup.store.appendEntry(session.id, {
            type: 'user_message',
            payload: { text: `${i} ${text}`, kind: 'prompt' },
          })
        }
      }
    })()
    setup.close()

    const times: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now()
      const engine = createEngine({ dataDir, kind: 'web', logger: createMemoryLogger() })
      const outcome = await engine.call(
        'sessions.entries',
        { sessionId: session.id },
        { transport: 'bench' },
      )
      const t1 = performance.now()
      engine.close()
      if (!outcome.ok || (outcome.result as unknown[]).length !== ENTRIES) {
        throw new Error('reopen bench: wrong result')
      }
      times.push(t1 - t0)
    }
    times.sort((a, b) => a - b)
    return [
      {
        name: 'reopen-session-10k-entries',
        ours: times[Math.floor(RUNS / 2)]!,
        unit: 'ms',
        budget: 200,
      },
    ]
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
