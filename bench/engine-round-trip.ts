import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ChatCompletionTool } from 'openai/resources/chat/completions'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import { createOpenAiCompatibleStream } from '../src/main/providers/openai-compatible'
import { builtinTools, toolSpecs } from '../src/main/tools/registry'
import { createNodeFsOps } from '../src/main/tools/node-fs-ops'
import type { AnyTool, ToolContext } from '../src/main/tools/types'
import { startFakeLlm } from '../test/support/fake-llm'
import type { BenchLine } from './run'
import { minimalLoop } from './peers/minimal-loop'

const ROUND_TRIPS = 60
const RUNS = 5

/**
 * Budget "engine overhead per tool round trip (zero-latency model) ≤ 5 ms": the same scripted
 * session (ROUND_TRIPS `read` calls, then an answer) through the engine and through the minimal
 * loop of bench/peers, against the same loopback fake model, alternating, in one process.
 */
export async function engineRoundTripBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-engine-'))
  const fake = await startFakeLlm()
  try {
    const workspace = join(root, 'w')
    mkdirSync(workspace)
    writeFileSync(join(workspace, 'a.txt'), 'line\n'.repeat(50))
    const script = (): void => {
      for (let i = 0; i < ROUND_TRIPS; i++) {
        // Varying offsets: the same call three times in a row would (rightly) ask the user.
        fake.script({
          toolCalls: [{ name: 'read', arguments: { path: 'a.txt', offset: 1 + (i % 40) } }],
        })
      }
      fake.script({ text: 'done' })
    }
    const tools = builtinTools()
    const read = tools.find((t) => t.name === 'read') as AnyTool
    const ctx: ToolContext = {
      workspaceRoot: workspace,
      signal: new AbortController().signal,
      fs: createNodeFsOps(),
      spillDir: join(root, 'spill'),
      env: {},
      ripgrepPath: null,
    }
    const wireTools: ChatCompletionTool[] = toolSpecs(tools).map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }))

    const engine = createEngine({
      dataDir: join(root, 'data'),
      kind: 'cli',
      logger: createMemoryLogger(),
      model: {
        model: 'bench',
        stream: createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'x' }),
      },
    })
    const ws = engine.store.openWorkspace(workspace, 'w')
    const ours: number[] = []
    const peer: number[] = []
    for (let run = 0; run < RUNS; run++) {
      script()
      const session = engine.store.createSession(ws.id)
      const t0 = performance.now()
      await new Promise<void>((resolve, reject) => {
        const sub = engine.subscribe({ [session.id]: 1 }, (e) => {
          if (e.type === 'entry.appended' && e.entry.type === 'turn_end') {
            sub.dispose()
            resolve()
          }
        })
        void engine
          .call(
            'sessions.prompt',
            { sessionId: session.id, text: 'go', mode: 'full-auto', maxTurns: ROUND_TRIPS + 5 },
            { transport: 'bench' },
          )
          .then((o) => (o.ok ? undefined : reject(new Error(o.error.message))))
      })
      ours.push((performance.now() - t0) / ROUND_TRIPS)

      script()
      const t1 = performance.now()
      const n = await minimalLoop({
        baseUrl: fake.baseUrl,
        model: 'bench',
        system: 'You are a bench.',
        prompt: 'go',
        tools: wireTools,
        run: async (_name, args) => (await read.execute(args as never, ctx)).content,
      })
      if (n !== ROUND_TRIPS) throw new Error(`peer made ${n} round trips`)
      peer.push((performance.now() - t1) / ROUND_TRIPS)
    }
    await engine.drain()
    engine.close()
    const median = (xs: number[]): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const o = median(ours)
    const p = median(peer)
    return [
      { name: 'engine-round-trip', ours: o, unit: 'ms', peer: { name: 'minimal-loop', value: p } },
      { name: 'engine-overhead-per-round-trip', ours: Math.max(0, o - p), unit: 'ms', budget: 5 },
    ]
  } finally {
    await fake.close()
    rmSync(root, { recursive: true, force: true })
  }
}
