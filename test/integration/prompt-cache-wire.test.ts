import { afterEach, describe, expect, it } from 'vitest'
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages'
import { ContextPayload } from '../../src/shared/entries'
import type { ContextRecord } from '../../src/shared/entries'
import type { EngineOptions } from '../../src/main/host/engine'
import { sessionCacheKey } from '../../src/main/context/request-prefix'
import { TOOLS_GUIDANCE, buildSystemPrompt } from '../../src/main/context/system-prompt'
import { modelSource, PROVIDER_PRESETS } from '../../src/main/providers/presets'
import type { ModelConnection } from '../../src/main/providers/presets'
import type { ProviderId } from '../../src/main/providers/catalog'
import { builtinTools, toolSpecs } from '../../src/main/tools/registry'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { FakeLlm, ReplyTurn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { legacySystemPrompt } from '../support/legacy-system-prompt'

const DAY_MS = 86_400_000
/** The session's start: a fixed instant, so the expected dates never straddle a UTC midnight. */
const START = Date.parse('2026-03-10T23:59:30Z')

let fixtures: AgentFixture[] = []
let fake: FakeLlm | null = null
afterEach(async () => {
  // The newest first: an engine reopened on a data dir closes before the one that owns the dir.
  for (const f of fixtures.reverse()) await f.close()
  fixtures = []
  await fake?.close()
  fake = null
})

type Wire = 'openai' | 'anthropic'

function source(wire: Wire, f: FakeLlm): Partial<EngineOptions> {
  return wire === 'anthropic'
    ? {
        model: modelSource({
          provider: 'anthropic',
          model: 'claude-haiku-4-5',
          baseUrl: f.anthropicBaseUrl,
          apiKey: 'k',
        }),
      }
    : {
        model: modelSource({
          provider: 'openai-compatible',
          model: 'qwen3-coder',
          baseUrl: f.baseUrl,
          apiKey: 'k',
        }),
      }
}

/** An engine on the fake (the first of a data dir, or reopened on `reuse`'s). */
async function open(
  wire: Wire,
  opts: { reuse?: AgentFixture; extra?: Partial<EngineOptions> } = {},
): Promise<AgentFixture> {
  fake ??= await startFakeLlm()
  const f = await agentFixture({
    fake,
    ...(opts.reuse ? { reuse: { root: opts.reuse.fx.root }, sessionId: opts.reuse.sessionId } : {}),
    extra: { ...source(wire, fake), ...opts.extra },
  })
  fixtures.push(f)
  return f
}

/** `steps` model calls: a read each, then a closing answer. */
function steps(count: number): ReplyTurn[] {
  return [
    ...Array.from({ length: count - 1 }, (_, i) => ({
      toolCalls: [{ name: 'read', arguments: { path: 'a.txt', offset: 1 + (i % 2) } }],
    })),
    { text: 'done' },
  ]
}

/** The prefix bytes of every request the fake received: system prompt and tools, as sent. */
function prefixes(wire: Wire): string[] {
  if (wire === 'anthropic') {
    return fake!.messagesRequests().map((b) => JSON.stringify([b.system, b.tools]))
  }
  return fake!.chatRequests().map((b) => JSON.stringify([b.messages[0], b.tools]))
}

function contexts(a: AgentFixture): ContextRecord[] {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'context')
    .map((e) => ContextPayload.parse(e.payload))
}

describe.each<Wire>(['openai', 'anthropic'])('the request prefix on the %s wire', (wire) => {
  it('is byte-identical over 20 turns and a restart two days later', async () => {
    // The session starts at START; the restart is two days later.
    const a = await open(wire, { extra: { now: () => START } })
    a.write('a.txt', 'one\ntwo\n')
    fake!.script(...steps(20))
    expect(await a.run('Read it twenty times')).toEqual({ reason: 'done' })
    a.fx.engine.close()

    // A new engine on the same data dir: nothing in the prefix moves.
    const b = await open(wire, { reuse: a, extra: { now: () => START + 2 * DAY_MS } })
    fake!.script(...steps(5))
    expect(await b.run('Five more')).toEqual({ reason: 'done' })

    const sent = prefixes(wire)
    expect(sent).toHaveLength(25)
    expect(new Set(sent).size).toBe(1)
    // The date and the working directory are the session's start's, not the restart's.
    expect(sent[0]).toContain('Date: 2026-03-10')
    expect(sent[0]).not.toContain('Date: 2026-03-12')
    expect(sent[0]).toContain(`Workspace (current directory): ${a.workspace}`)
    expect(contexts(b)).toHaveLength(1)
  })

  it('changes once, recorded with its reason, when the tool set changes', async () => {
    const a = await open(wire)
    a.write('a.txt', 'one\n')
    fake!.script(...steps(3))
    await a.run('First')
    a.fx.engine.close()

    // Reopened with one tool fewer: the model must not be offered `ls` any more.
    const fewer = builtinTools().filter((t) => t.name !== 'ls')
    const b = await open(wire, { reuse: a, extra: { tools: fewer } })
    fake!.script(...steps(3))
    await b.run('Second')
    b.fx.engine.close()
    // And once more with the same set: no further change.
    const c = await open(wire, { reuse: a, extra: { tools: fewer } })
    fake!.script(...steps(2))
    await c.run('Third')

    const stored = contexts(c)
    expect(stored.map((s) => s.reason)).toEqual([undefined, 'tools_changed'])
    expect(stored[1]!.system).toBe(stored[0]!.system)
    expect(stored[1]!.tools.map((t) => t.name)).toEqual(fewer.map((t) => t.name))

    const sent = prefixes(wire)
    expect(sent).toHaveLength(8)
    expect(new Set(sent.slice(0, 3)).size).toBe(1)
    expect(new Set(sent.slice(3)).size).toBe(1)
    expect(sent[3]).not.toBe(sent[0])
    const toolNames = (i: number): string[] =>
      wire === 'anthropic'
        ? (fake!.messagesRequests()[i]!.tools ?? []).map((t) => ('name' in t ? t.name : ''))
        : (fake!.chatRequests()[i]!.tools ?? []).map((t) =>
            t.type === 'function' ? t.function.name : '',
          )
    expect(toolNames(0)).toContain('ls')
    expect(toolNames(3)).not.toContain('ls')
    expect(toolNames(7)).toEqual(fewer.map((t) => t.name))
  })
})

describe('a session stored with the older system prompt', () => {
  it('gets the current prompt once, recorded as a prefix change with its reason', async () => {
    const a = await open('openai', { extra: { now: () => START + 30 * DAY_MS } })
    a.write('a.txt', 'one\n')
    // As a Paddock of before stored it: every tool's description listed in the system prompt.
    const tools = toolSpecs(builtinTools())
    const os = `${process.platform} (${process.arch})`
    const parts = { workspaceRoot: a.workspace, os, date: '2026-03-10', instructions: [] }
    const legacy = legacySystemPrompt({ ...parts, tools })
    a.fx.engine.store.appendEntry(a.sessionId, {
      type: 'context',
      payload: { system: legacy, tools, model: 'fake-model' },
    })
    fake!.script(...steps(3))
    expect(await a.run('Go on')).toEqual({ reason: 'done' })
    a.fx.engine.close()
    const b = await open('openai', { reuse: a })
    fake!.script(...steps(2))
    expect(await b.run('Once more')).toEqual({ reason: 'done' })

    // One change, with its reason; the session start's folder and date are kept.
    const stored = contexts(b)
    expect(stored.map((c) => c.reason)).toEqual([undefined, 'system_changed'])
    expect(stored[1]!.system).toBe(buildSystemPrompt(parts))
    expect(stored[1]!.tools).toEqual(tools)
    // Every request sent it: the descriptions once, in the tool definitions.
    const sent = fake!.chatRequests().map((r) => String(r.messages[0]!.content))
    expect(sent).toHaveLength(5)
    expect(new Set(sent)).toEqual(new Set([buildSystemPrompt(parts)]))
    expect(sent[0]).not.toContain('# Tools\n- ')
  })
})

describe('the system prompt', () => {
  it('sends each tool description once, in the tool definitions only', async () => {
    const a = await open('openai')
    fake!.script({ text: 'hi' })
    await a.run('Hello')
    const [body] = fake!.chatRequests()
    const system = String(body!.messages[0]!.content)
    expect(system).toContain(TOOLS_GUIDANCE)
    for (const tool of body!.tools ?? []) {
      if (tool.type !== 'function') continue
      const description = tool.function.description ?? ''
      expect(description.length).toBeGreaterThan(40)
      expect(system).not.toContain(description.slice(0, 40))
    }
    expect(Buffer.byteLength(system)).toBeLessThan(1_000)
  })
})

/** Where each request put its cache breakpoints: `tools.i`, `system.i`, `messages.i.j`. */
function breakpoints(body: MessageCreateParams): string[] {
  const at: string[] = []
  body.tools?.forEach((t, i) => {
    if ('cache_control' in t && t.cache_control) at.push(`tools.${i}`)
  })
  if (Array.isArray(body.system)) {
    body.system.forEach((b, i) => {
      if (b.cache_control) at.push(`system.${i}`)
    })
  }
  body.messages.forEach((m, i) => {
    if (typeof m.content === 'string') return
    m.content.forEach((b, j) => {
      if ('cache_control' in b && b.cache_control) at.push(`messages.${i}.${j}`)
    })
  })
  return at
}

describe('Anthropic cache breakpoints and cached tokens', () => {
  it('marks tools, system, the previous turn and the last message; counts and prices the cache', async () => {
    const a = await open('anthropic')
    a.write('a.txt', 'one\n')
    // Two reads per step: a turn adds four blocks, so a step's breakpoint moves on by more
    // than one block, and only the previous-turn breakpoint lands where the last request ended.
    const usage = (i: number): ReplyTurn['usage'] => ({
      prompt_tokens: 10_000 + i * 100,
      completion_tokens: 50,
      prompt_tokens_details: { cached_tokens: i === 0 ? 0 : 9_000 + i * 50 },
      cacheWrite: i === 0 ? 9_500 : 300,
    })
    fake!.script(
      ...Array.from({ length: 4 }, (_, i) => ({
        toolCalls: [
          { name: 'read', arguments: { path: 'a.txt' } },
          { name: 'grep', arguments: { pattern: 'one' } },
        ],
        usage: usage(i),
      })),
      { text: 'done', usage: usage(4) },
    )
    expect(await a.run('Look twice, four times')).toEqual({ reason: 'done' })

    const bodies = fake!.messagesRequests()
    expect(bodies).toHaveLength(5)
    const lastBlock = (b: MessageCreateParams): string => {
      const i = b.messages.length - 1
      const content = b.messages[i]!.content
      return `messages.${i}.${typeof content === 'string' ? 0 : content.length - 1}`
    }
    const toolsEnd = `tools.${bodies[0]!.tools!.length - 1}`
    // The first request has no earlier turn: three breakpoints.
    expect(breakpoints(bodies[0]!)).toEqual([toolsEnd, 'system.0', lastBlock(bodies[0]!)])
    for (let i = 1; i < bodies.length; i++) {
      const at = breakpoints(bodies[i]!)
      expect(at.length).toBeLessThanOrEqual(4)
      // Tools, system, where the request before ended, and this request's end.
      expect(at).toEqual([toolsEnd, 'system.0', lastBlock(bodies[i - 1]!), lastBlock(bodies[i]!)])
    }

    // Cached tokens reach the log and the status; the cost prices each kind at its own rate.
    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    const reads = [0, 1, 2, 3, 4].reduce((n, i) => n + (i === 0 ? 0 : 9_000 + i * 50), 0)
    const writes = 9_500 + 4 * 300
    const prompts = [0, 1, 2, 3, 4].reduce((n, i) => n + 10_000 + i * 100, 0)
    expect(status.usage.cacheReadTokens).toBe(reads)
    expect(status.usage.cacheWriteTokens).toBe(writes)
    expect(status.usage.inputTokens).toBe(prompts - reads - writes)
    // Claude Haiku 4.5: $1 input, $0.10 cache read, $1.25 cache write, $5 output per million.
    const usd = ((prompts - reads - writes) * 1 + reads * 0.1 + writes * 1.25 + 250 * 5) / 1e6
    expect(status.usage.costUsd).toBeCloseTo(usd, 9)
  })
})

describe('prompt_cache_key', () => {
  /**
   * A fetch that sends what the SDK addressed to `base` (the preset's own address) to the fake:
   * the request leaves the client exactly as it would for the real service.
   */
  function toFake(f: FakeLlm, base: string): typeof fetch {
    return (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (!url.startsWith(base)) throw new Error(`unexpected address ${url}`)
      return fetch(f.baseUrl + url.slice(base.length), init)
    }
  }

  /** The connection of `provider`: at the preset's own address (routed to the fake), or at `at`. */
  function connection(provider: ProviderId, f: FakeLlm, at: 'preset' | 'custom'): ModelConnection {
    const preset = PROVIDER_PRESETS[provider]!.baseUrl
    if (at === 'custom' || !preset) {
      return { provider, model: 'some-model', baseUrl: f.baseUrl, apiKey: 'k' }
    }
    return { provider, model: 'some-model', apiKey: 'k', fetch: toFake(f, preset) }
  }

  async function keyed(
    provider: ProviderId,
    at: 'preset' | 'custom' = 'preset',
  ): Promise<{ a: AgentFixture; bodies: Array<Record<string, unknown>> }> {
    fake ??= await startFakeLlm()
    const f = fake
    const a = await agentFixture({
      fake: f,
      extra: { model: modelSource(connection(provider, f, at)) },
    })
    fixtures.push(a)
    a.write('a.txt', 'one\n')
    const before = f.chatRequests().length
    f.script(...steps(3))
    await a.run('Go')
    return {
      a,
      bodies: f.chatRequests().slice(before) as unknown as Array<Record<string, unknown>>,
    }
  }

  it('is sent to OpenAI, the same on every call of a session, across restarts, and per session', async () => {
    const { a, bodies } = await keyed('openai')
    const key = sessionCacheKey(a.sessionId)
    expect(bodies.map((b) => b.prompt_cache_key)).toEqual([key, key, key])
    // Nothing of the user's: not the session id, no path.
    expect(key).not.toContain(a.sessionId)
    expect(key).toMatch(/^paddock-[0-9a-f]{32}$/)
    a.fx.engine.close()
    const b = await agentFixture({
      fake: fake!,
      reuse: { root: a.fx.root },
      sessionId: a.sessionId,
      extra: { model: modelSource({ ...connection('openai', fake!, 'preset'), model: 'm' }) },
    })
    fixtures.push(b)
    fake!.script({ text: 'again' })
    await b.run('Again')
    expect(
      (fake!.chatRequests().at(-1) as unknown as Record<string, unknown>).prompt_cache_key,
    ).toBe(key)
    const other = await keyed('openai')
    expect(other.bodies[0]!.prompt_cache_key).not.toBe(key)
  })

  it.each<ProviderId>(['openrouter', 'deepseek', 'moonshot', 'groq', 'openai-compatible'])(
    'is never sent to %s',
    async (provider) => {
      const { bodies } = await keyed(provider)
      expect(bodies).toHaveLength(3)
      for (const body of bodies) expect(body).not.toHaveProperty('prompt_cache_key')
    },
  )

  // The key is the provider's own API's: a proxy, Azure or any server at another address under
  // the same preset may refuse a field it does not know.
  it.each<ProviderId>(['openai', 'xai'])(
    'is not sent under the %s preset at another base URL',
    async (provider) => {
      const { bodies } = await keyed(provider, 'custom')
      expect(bodies).toHaveLength(3)
      for (const body of bodies) expect(body).not.toHaveProperty('prompt_cache_key')
      const sent = fake!.requests.filter((r) => r.path.startsWith('/v1/chat/completions'))
      for (const r of sent) expect(r.headers).not.toHaveProperty('x-grok-conv-id')
    },
  )

  it('goes to xAI as its x-grok-conv-id header, not in the body', async () => {
    const { a, bodies } = await keyed('xai')
    for (const body of bodies) expect(body).not.toHaveProperty('prompt_cache_key')
    const sent = fake!.requests.filter((r) => r.path.startsWith('/v1/chat/completions'))
    expect(sent.map((r) => r.headers['x-grok-conv-id'])).toEqual(
      Array(3).fill(sessionCacheKey(a.sessionId)),
    )
  })
})

describe('cached tokens on the OpenAI wire', () => {
  // DeepSeek reports its prefix cache as `prompt_cache_hit_tokens` / `prompt_cache_miss_tokens`
  // at the top of `usage`, not in `prompt_tokens_details` (api-docs.deepseek.com, Context Caching).
  it('counts DeepSeek’s prompt_cache_hit_tokens as cache reads', async () => {
    fake ??= await startFakeLlm()
    const a = await agentFixture({
      fake,
      extra: {
        model: modelSource({
          provider: 'deepseek',
          model: 'deepseek-chat',
          baseUrl: fake.baseUrl,
          apiKey: 'k',
        }),
      },
    })
    fixtures.push(a)
    a.write('a.txt', 'one\n')
    fake.script(
      {
        toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }],
        usage: { prompt_tokens: 2_000, completion_tokens: 10, prompt_cache_hit_tokens: 0 },
      },
      {
        text: 'done',
        usage: { prompt_tokens: 2_100, completion_tokens: 5, prompt_cache_hit_tokens: 1_920 },
      },
    )
    expect(await a.run('Read it')).toEqual({ reason: 'done' })

    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(status.usage.cacheReadTokens).toBe(1_920)
    expect(status.usage.inputTokens).toBe(2_000 + 2_100 - 1_920)
  })
})
