import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TurnEnd } from '../../src/shared/entries'
import { TurnEndPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { EngineOptions } from '../../src/main/host/engine'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import { modelSource } from '../../src/main/providers/presets'
import type { EngineFixture } from './engine'
import { engineFixture } from './engine'
import type { FakeLlm, StartFakeLlmOptions } from './fake-llm'
import { startFakeLlm } from './fake-llm'

export interface AgentFixture {
  fx: EngineFixture
  fake: FakeLlm
  workspace: string
  workspaceId: string
  sessionId: string
  events: PaddockEvent[]
  /** Retry waits the loop asked for, in ms (the injected sleep returns at once). */
  sleeps: number[]
  /** Send a prompt and resolve with how the run ended. */
  run(text: string, opts?: { mode?: string; maxTurns?: number }): Promise<TurnEnd>
  /** Resolve with the next run end (for runs started another way). */
  nextEnd(): Promise<TurnEnd>
  /** Resolve when an event matching `pred` has been seen (including already). */
  waitFor(pred: (e: PaddockEvent) => boolean): Promise<PaddockEvent>
  write(rel: string, content: string): void
  close(): Promise<void>
}

/**
 * An engine with a real workspace, the real tools, and the fake LLM at the wire. Without `fake`
 * the fixture starts its own (with `fakeOptions`, e.g. a strict server) and closes it; `extra`
 * may be a function of that fake, for engine options that need its address.
 */
export async function agentFixture(
  opts: {
    fake?: FakeLlm
    fakeOptions?: StartFakeLlmOptions
    reuse?: { root: string }
    sessionId?: string
    extra?: Partial<EngineOptions> | ((fake: FakeLlm) => Partial<EngineOptions>)
  } = {},
): Promise<AgentFixture> {
  const fake = opts.fake ?? (await startFakeLlm(opts.fakeOptions))
  const extra = typeof opts.extra === 'function' ? opts.extra(fake) : opts.extra
  const sleeps: number[] = []
  const fx = engineFixture(
    'web',
    {
      model: {
        model: 'fake-model',
        stream: createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'sk-test' }),
      },
      sleep: async (ms) => {
        sleeps.push(ms)
      },
      random: () => 1,
      ...extra,
    },
    opts.reuse,
  )
  const workspace = join(fx.home, 'project')
  mkdirSync(workspace, { recursive: true })
  const ws = await fx.call('workspaces.open', { path: workspace })
  const sessionId = opts.sessionId ?? (await fx.call('sessions.create', { workspaceId: ws.id })).id
  const events: PaddockEvent[] = []
  const waiters: Array<{ pred: (e: PaddockEvent) => boolean; resolve: (e: PaddockEvent) => void }> =
    []
  let seenEnds = 0
  const endWaiters: Array<(t: TurnEnd) => void> = []
  const ends: TurnEnd[] = []
  const sub = fx.engine.subscribe({}, (e) => {
    events.push(e)
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(e)
      }
    }
    if (e.type === 'entry.appended' && e.entry.type === 'turn_end' && e.sessionId === sessionId) {
      const end = TurnEndPayload.parse(e.entry.payload)
      ends.push(end)
      endWaiters.shift()?.(end)
    }
  })
  const nextEnd = (): Promise<TurnEnd> => {
    const index = seenEnds++
    if (ends[index]) return Promise.resolve(ends[index]!)
    return new Promise((resolve) => endWaiters.push(resolve))
  }
  return {
    fx,
    fake,
    workspace,
    workspaceId: ws.id,
    sessionId,
    events,
    sleeps,
    async run(text, o = {}) {
      const end = nextEnd()
      await fx.call('sessions.prompt', {
        sessionId,
        text,
        mode: o.mode ?? 'full-auto',
        ...(o.maxTurns ? { maxTurns: o.maxTurns } : {}),
      })
      return end
    },
    nextEnd,
    waitFor(pred) {
      const seen = events.find(pred)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve) => waiters.push({ pred, resolve }))
    },
    write(rel, content) {
      const file = join(workspace, rel)
      mkdirSync(join(file, '..'), { recursive: true })
      writeFileSync(file, content)
    },
    async close() {
      sub.dispose()
      await fx.engine.drain()
      fx.cleanup()
      if (!opts.fake) await fake.close()
    },
  }
}

/**
 * The words of `paddock run` in the fixture's workspace against its fake model (as `BIN_PADDOCK`
 * or the CLI source takes them): `--session` names the fixture's session when asked.
 */
export function runWords(
  a: AgentFixture,
  prompt: string,
  opts: { mode?: string; model?: string; session?: boolean; extra?: string[] } = {},
): string[] {
  return [
    'run',
    '--workspace',
    a.workspace,
    ...(opts.session ? ['--session', a.sessionId] : []),
    '--base-url',
    a.fake.baseUrl,
    '--model',
    opts.model ?? 'm',
    '--mode',
    opts.mode ?? 'ask',
    '--data-dir',
    a.fx.dataDir,
    ...(opts.extra ?? []),
    prompt,
  ]
}

/**
 * An agent on a priced catalog model (kimi-k2 through OpenRouter's preset) with a per-session cap
 * given by the host; `undefined`: the stored settings' caps apply.
 */
export function cappedAgentFixture(
  fake: FakeLlm,
  perSessionUsd: number | undefined,
): Promise<AgentFixture> {
  return agentFixture({
    fake,
    extra: {
      model: modelSource({
        provider: 'openrouter',
        model: 'kimi-k2',
        baseUrl: fake.baseUrl,
        apiKey: 'k',
      }),
      ...(perSessionUsd !== undefined ? { spendCaps: { perSessionUsd } } : {}),
    },
  })
}
