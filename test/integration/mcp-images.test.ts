import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { ToolResultPayload } from '../../src/shared/entries'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { IMAGES_INTRO } from '../../src/main/providers/openai-wire'
import { modelSource } from '../../src/main/providers/presets'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { QUOTA } from '../support/fallback-world'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { EVERYTHING_SERVER, FIXTURE_SERVER } from '../support/mcp'
import { tempDir } from '../support/temp'

/**
 * A session on a catalog model whose MCP tools return images (the registry's example server and
 * the fixture server): the next request carries the images as image parts when the catalog says
 * the model takes images, and only their description when it does not.
 */

let a: AgentFixture | undefined
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  await a?.close()
  a = undefined
  while (cleanups.length) await cleanups.pop()!()
})

type Api = 'openai' | 'anthropic'

async function session(
  api: Api,
  model: string,
  catalog: ModelCatalog = new ModelCatalog(),
): Promise<AgentFixture> {
  const fixture = await agentFixture({
    extra: (fake: FakeLlm) => ({
      model: modelSource(
        api === 'openai'
          ? { provider: 'openai-compatible', model, baseUrl: fake.baseUrl, apiKey: 'k' }
          : { provider: 'anthropic', model, baseUrl: fake.anthropicBaseUrl, apiKey: 'k' },
        catalog,
      ),
    }),
  })
  await fixture.fx.call('mcp.add', {
    transport: 'stdio',
    name: 'ev',
    command: process.execPath,
    args: [EVERYTHING_SERVER, 'stdio'],
  })
  await fixture.fx.call('mcp.add', {
    transport: 'stdio',
    name: 'fx',
    command: process.execPath,
    args: [FIXTURE_SERVER],
  })
  fixture.fake.script(
    {
      toolCalls: [
        { name: 'mcp__ev__get-tiny-image', arguments: {} },
        { name: 'mcp__fx__image', arguments: {} },
        { name: 'mcp__fx__echo', arguments: { text: 'no image' } },
      ],
    },
    { text: 'I saw them' },
  )
  expect(await fixture.run('Show me the images')).toEqual({ reason: 'done' })
  return fixture
}

/** The PNG data each image tool returned, as the session log recorded it (tool name → base64). */
function returned(f: AgentFixture): Map<string, string> {
  const out = new Map<string, string>()
  for (const e of f.fx.engine.store.branch(f.sessionId)) {
    if (e.type !== 'tool_result') continue
    const r = ToolResultPayload.parse(e.payload)
    const images = (r.details?.images ?? []) as Array<{ data?: string }>
    if (images[0]?.data) out.set(r.toolName, images[0].data)
  }
  return out
}

/** The ids the model gave its calls, by tool name (from the first request's answer, as sent back). */
function callIds(messages: ChatCompletionMessageParam[]): Map<string, string> {
  const assistant = messages.find((m) => m.role === 'assistant')
  const calls = assistant && 'tool_calls' in assistant ? (assistant.tool_calls ?? []) : []
  return new Map(calls.map((c) => ['function' in c ? c.function.name : '', c.id]))
}

describe('MCP tool images reach the model as image parts when it takes images (wire)', () => {
  it('OpenAI-compatible, a model that takes images: one user message after the tool messages', async () => {
    a = await session('openai', 'gpt-4.1')
    const data = returned(a)
    const tiny = data.get('mcp__ev__get-tiny-image')!
    const pixel = data.get('mcp__fx__image')!
    expect(tiny).toMatch(/^iVBOR/)
    expect(pixel).toMatch(/^iVBOR/)
    const messages = a.fake.chatRequests()[1]!.messages
    const ids = callIds(messages)
    expect(messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'tool',
      'user',
    ])
    // The tool messages stay text: the description, never the data.
    for (const m of messages.filter((m) => m.role === 'tool')) {
      expect(typeof m.content).toBe('string')
      expect(m.content).not.toContain('iVBOR')
    }
    expect(messages[3]!.content).toContain('[image: image/png')
    expect(messages[6]!.content).toEqual([
      { type: 'text', text: IMAGES_INTRO },
      {
        type: 'text',
        text: `Image from mcp__ev__get-tiny-image (tool call ${ids.get('mcp__ev__get-tiny-image')}):`,
      },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${tiny}` } },
      {
        type: 'text',
        text: `Image from mcp__fx__image (tool call ${ids.get('mcp__fx__image')}):`,
      },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${pixel}` } },
    ])
  })

  it('OpenAI-compatible, a text-only model: only the description', async () => {
    a = await session('openai', 'kimi-k2')
    expect(returned(a).size).toBe(2)
    const messages = a.fake.chatRequests()[1]!.messages
    expect(messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'tool',
    ])
    const sent = JSON.stringify(messages)
    expect(sent).toContain('[image: image/png')
    expect(sent).not.toContain('image_url')
    expect(sent).not.toContain('iVBOR')
  })

  it('Anthropic, a model that takes images: image blocks inside the tool_result', async () => {
    a = await session('anthropic', 'claude-haiku-4-5')
    const data = returned(a)
    const messages = a.fake.messagesRequests()[1]!.messages
    const results = resultsOf(messages)
    expect(results).toHaveLength(3)
    const [tiny, pixel, echo] = results
    expect(tiny!.content).toEqual([
      { type: 'text', text: expect.stringContaining('[image: image/png') },
      {
        type: 'image',
        source: {
          type: 'base64',
          media_type: 'image/png',
          data: data.get('mcp__ev__get-tiny-image'),
        },
      },
    ])
    expect(pixel!.content).toEqual([
      { type: 'text', text: expect.stringMatching(/^here is a pixel\n\[image: image\/png/) },
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: data.get('mcp__fx__image') },
      },
    ])
    expect(echo!.content).toBe('echo: no image')
  })

  it('Anthropic, a model the user’s catalog marks text-only: only the description', async () => {
    const textOnly = new ModelCatalog([{ id: 'claude-haiku-4-5', capabilities: { images: false } }])
    a = await session('anthropic', 'claude-haiku-4-5', textOnly)
    expect(returned(a).size).toBe(2)
    const results = resultsOf(a.fake.messagesRequests()[1]!.messages)
    expect(results).toHaveLength(3)
    for (const r of results) expect(typeof r.content).toBe('string')
    const sent = JSON.stringify(results)
    expect(sent).toContain('[image: image/png')
    expect(sent).not.toContain('iVBOR')
  })
})

describe('the capability follows the run’s model', () => {
  it('a configured provider’s models.json says so, and a fallback to a text-only model gets only the description', async () => {
    const tmp = tempDir()
    cleanups.push(tmp.cleanup)
    mkdirSync(join(tmp.path, 'data'), { recursive: true })
    writeFileSync(
      join(tmp.path, 'data', 'models.json'),
      JSON.stringify({
        models: [
          { id: 'vision-model', capabilities: { images: true } },
          { id: 'text-model', capabilities: { images: false } },
        ],
      }),
    )
    const fake = await startFakeLlm()
    cleanups.push(() => fake.close())
    a = await agentFixture({ fake, reuse: { root: tmp.path } })
    await a.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-work-0123456789',
      models: ['vision-model', 'text-model'],
    })
    await a.fx.call('settings.set', {
      key: 'models.fallbacks',
      value: { 'work/vision-model': ['work/text-model'] },
    })
    await a.fx.call('mcp.add', {
      transport: 'stdio',
      name: 'fx',
      command: process.execPath,
      args: [FIXTURE_SERVER],
    })
    fake.script({ toolCalls: [{ name: 'mcp__fx__image', arguments: {} }] }, QUOTA, {
      text: 'done on the fallback',
    })
    const end = a.nextEnd()
    await a.fx.call('sessions.prompt', {
      sessionId: a.sessionId,
      text: 'Show me',
      model: 'work/vision-model',
      mode: 'full-auto',
    })
    expect(await end).toEqual({ reason: 'done' })
    const sent = fake.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map((r) => r.body as { model: string; messages: unknown[] })
    expect(sent.map((b) => b.model)).toEqual(['vision-model', 'vision-model', 'text-model'])
    // The vision model was sent the pixel; the fallback only its description.
    expect(JSON.stringify(sent[1]!.messages)).toContain('"url":"data:image/png;base64,iVBOR')
    const fallback = JSON.stringify(sent[2]!.messages)
    expect(fallback).toContain('[image: image/png')
    expect(fallback).not.toContain('image_url')
    expect(fallback).not.toContain('iVBOR')
  })
})

type ToolResultBlock = Extract<ContentBlockParam, { type: 'tool_result' }>

/** The tool_result blocks of the request's last user turn. */
function resultsOf(messages: MessageParam[]): ToolResultBlock[] {
  const last = messages.at(-1)!
  expect(last.role).toBe('user')
  return (last.content as ContentBlockParam[]).filter(
    (b): b is ToolResultBlock => b.type === 'tool_result',
  )
}
