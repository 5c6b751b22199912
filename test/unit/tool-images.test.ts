import { describe, expect, it } from 'vitest'
import type { ContentBlockParam } from '@anthropic-ai/sdk/resources/messages'
import type { Entry } from '../../src/shared/model'
import type { AssistantMessage, ToolResultRecord } from '../../src/shared/entries'
import { deriveMessages } from '../../src/main/context/history'
import { TOOL_IMAGES_STEP } from '../../src/main/context/tool-images'
import { toAnthropicRequest } from '../../src/main/providers/anthropic-wire'
import { IMAGES_INTRO, toWireMessages } from '../../src/main/providers/openai-wire'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { modelSource } from '../../src/main/providers/presets'
import type { ChatMessage } from '../../src/main/providers/types'

const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
let n = 0
function entry(type: Entry['type'], payload: unknown): Entry {
  n += 1
  return { id: `e${n}`, parentId: null, sessionId: 's', type, payload, createdAt: n }
}

function assistant(ids: string[]): Entry {
  const payload: AssistantMessage = {
    content: '',
    reasoning: '',
    toolCalls: ids.map((id) => ({ id, name: 'mcp__fx__shot', arguments: '{}' })),
    finishReason: 'tool_calls',
    usage,
    model: 'm',
  }
  return entry('assistant_message', payload)
}

const PNG = 'iVBORw0KGgo='

function shot(id: string, images: unknown[], extra: Partial<ToolResultRecord> = {}): Entry {
  const payload: ToolResultRecord = {
    toolCallId: id,
    toolName: 'mcp__fx__shot',
    content: `a screenshot\n[image: image/png, 8 B, saved to /spill/${id}.png]`,
    isError: false,
    durationMs: 1,
    details: { mcp: { server: 'fx', tool: 'shot' }, images },
    ...extra,
  }
  return entry('tool_result', payload)
}

const png = (data = PNG): Record<string, unknown> => ({
  mimeType: 'image/png',
  path: '/spill/x.png',
  bytes: 8,
  data,
})

function tools(messages: ChatMessage[]): Array<Extract<ChatMessage, { role: 'tool' }>> {
  return messages.filter((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool')
}

/** A branch of `count` screenshot calls, one per step; image `i` has data `img<i>`. */
function screenshots(count: number): Entry[] {
  const branch = [entry('user_message', { text: 'look', kind: 'prompt' })]
  for (let i = 0; i < count; i++) {
    branch.push(assistant([`c${i}`]), shot(`c${i}`, [png(`img${i}`)]))
  }
  return branch
}

describe('deriveMessages: tool images', () => {
  it('are left out for a model that takes no images: the description stays', () => {
    const branch = [entry('user_message', { text: 'look', kind: 'prompt' }), assistant(['c1'])]
    branch.push(shot('c1', [png()]))
    const [tool] = tools(deriveMessages(branch))
    expect(tool).not.toHaveProperty('images')
    expect(tool!.content).toContain('[image: image/png, 8 B, saved to /spill/c1.png]')
    expect(tools(deriveMessages(branch, { images: false }))[0]).not.toHaveProperty('images')
  })

  it('go with the tool message for a model that takes images, only those the wires can send', () => {
    const branch = [entry('user_message', { text: 'look', kind: 'prompt' }), assistant(['c1'])]
    branch.push(
      shot('c1', [
        png(),
        // Too large to keep (no data), a type no wire takes, and a malformed item: described only.
        { mimeType: 'image/png', path: '/spill/big.png', bytes: 999_999 },
        { mimeType: 'image/tiff', path: '/spill/t.tiff', bytes: 8, data: PNG },
        { mimeType: 'image/jpeg', data: 42 },
        { mimeType: 'image/webp', path: '/spill/w.webp', bytes: 8, data: 'UklGR' },
      ]),
    )
    const [tool] = tools(deriveMessages(branch, { images: true }))
    expect(tool!.images).toEqual([
      { mimeType: 'image/png', data: PNG },
      { mimeType: 'image/webp', data: 'UklGR' },
    ])
    expect(tool!.content).toContain('[image: image/png')
  })

  it('are not sent for a pruned output, nor for a result without images', () => {
    const branch = [
      entry('user_message', { text: 'look', kind: 'prompt' }),
      assistant(['c1', 'c2', 'c3']),
      shot('c1', [png()]),
      shot('c2', [], { content: 'no image here' }),
      shot('c3', [png('kept')]),
    ]
    const prunedId = branch[2]!.id
    branch.push(
      entry('prune', {
        outputs: [{ entryId: prunedId, bytes: 100, file: '/spill/c1.txt' }],
        tokensBefore: 1000,
        tokensFreed: 10,
      }),
    )
    const [pruned, plain, kept] = tools(deriveMessages(branch, { images: true }))
    expect(pruned!.content).not.toContain('a screenshot')
    expect(pruned).not.toHaveProperty('images')
    expect(plain).not.toHaveProperty('images')
    expect(kept!.images).toEqual([{ mimeType: 'image/png', data: 'kept' }])
  })

  it(`keeps all of up to ${2 * TOOL_IMAGES_STEP - 1} images, then drops the oldest in steps`, () => {
    const sent = (count: number): string[] =>
      tools(deriveMessages(screenshots(count), { images: true })).flatMap(
        (m) => m.images?.map((i) => i.data) ?? [],
      )
    expect(sent(7)).toEqual(['img0', 'img1', 'img2', 'img3', 'img4', 'img5', 'img6'])
    expect(sent(8)).toEqual(['img4', 'img5', 'img6', 'img7'])
    expect(sent(11)).toEqual(['img4', 'img5', 'img6', 'img7', 'img8', 'img9', 'img10'])
    expect(sent(12)).toEqual(['img8', 'img9', 'img10', 'img11'])
  })

  it('keeps the prompt prefix: a new image inside a step changes none of the earlier messages', () => {
    const before = deriveMessages(screenshots(9), { images: true })
    const after = deriveMessages(screenshots(10), { images: true })
    expect(after.slice(0, before.length)).toEqual(before)
    expect(tools(after).filter((m) => m.images).length).toBe(6)
    // The same branch derives the same messages every time.
    expect(deriveMessages(screenshots(10), { images: true })).toEqual(after)
  })
})

const toolCall = (id: string): ChatMessage => ({
  role: 'assistant',
  content: '',
  toolCalls: [
    { id: `${id}a`, name: 'mcp__fx__shot', arguments: '{}' },
    { id: `${id}b`, name: 'mcp__fx__echo', arguments: '{}' },
  ],
})

const conversation: ChatMessage[] = [
  { role: 'user', content: 'look' },
  toolCall('c'),
  {
    role: 'tool',
    toolCallId: 'ca',
    toolName: 'mcp__fx__shot',
    content: 'a screenshot [image: image/png]',
    isError: false,
    images: [
      { mimeType: 'image/png', data: 'AAAA' },
      { mimeType: 'image/jpeg', data: 'BBBB' },
    ],
  },
  { role: 'tool', toolCallId: 'cb', toolName: 'mcp__fx__echo', content: 'echo', isError: false },
  { role: 'user', content: 'and now?' },
]

describe('OpenAI-compatible wire: tool images', () => {
  it('keeps tool messages text and sends their images in one user message after them', () => {
    const wire = toWireMessages('sys', conversation, 'same_field')
    expect(wire.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'user',
      'user',
    ])
    expect(wire[3]).toEqual({
      role: 'tool',
      tool_call_id: 'ca',
      content: 'a screenshot [image: image/png]',
    })
    expect(wire[4]).toEqual({ role: 'tool', tool_call_id: 'cb', content: 'echo' })
    expect(wire[5]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: IMAGES_INTRO },
        { type: 'text', text: '2 images from mcp__fx__shot (tool call ca):' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,BBBB' } },
      ],
    })
    expect(wire[6]).toEqual({ role: 'user', content: 'and now?' })
  })

  it('adds nothing when no tool message has images', () => {
    const plain = conversation.map((m) => (m.role === 'tool' ? { ...m, images: undefined } : m))
    const wire = toWireMessages('sys', plain, 'same_field')
    expect(wire.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'user'])
    expect(JSON.stringify(wire)).not.toContain('image_url')
  })

  it('names each call whose images it carries, one user message per run of tool messages', () => {
    const images = (id: string, data: string): ChatMessage => ({
      role: 'tool',
      toolCallId: id,
      toolName: 'mcp__fx__shot',
      content: 'shot',
      isError: false,
      images: [{ mimeType: 'image/gif', data }],
    })
    const wire = toWireMessages(
      'sys',
      [
        { role: 'user', content: 'look' },
        toolCall('c'),
        images('ca', 'ONE'),
        images('cb', 'TWO'),
        toolCall('d'),
        images('da', 'THREE'),
        { role: 'tool', toolCallId: 'db', toolName: 'x', content: 'x', isError: false },
      ],
      'same_field',
    )
    expect(wire.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'tool',
      'user',
      'assistant',
      'tool',
      'tool',
      'user',
    ])
    expect(wire[5]!.content).toEqual([
      { type: 'text', text: IMAGES_INTRO },
      { type: 'text', text: 'Image from mcp__fx__shot (tool call ca):' },
      { type: 'image_url', image_url: { url: 'data:image/gif;base64,ONE' } },
      { type: 'text', text: 'Image from mcp__fx__shot (tool call cb):' },
      { type: 'image_url', image_url: { url: 'data:image/gif;base64,TWO' } },
    ])
    expect(JSON.stringify(wire[9])).toContain('tool call da')
    expect(JSON.stringify(wire[9])).toContain('THREE')
  })
})

describe('Anthropic wire: tool images', () => {
  const request = (messages: ChatMessage[]) =>
    toAnthropicRequest(
      { model: 'm', system: 'sys', messages, tools: [], signal: new AbortController().signal },
      1000,
    )

  it('puts image blocks inside the tool_result, after its text', () => {
    const user = request(conversation).messages[2]!
    const blocks = user.content as ContentBlockParam[]
    expect(blocks[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'ca',
      is_error: false,
      content: [
        { type: 'text', text: 'a screenshot [image: image/png]' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'BBBB' } },
      ],
    })
    expect(blocks[1]).toMatchObject({ type: 'tool_result', tool_use_id: 'cb', content: 'echo' })
    expect(blocks[2]).toMatchObject({ type: 'text', text: 'and now?' })
  })

  it('sends a result without images as its text alone, and images without text alone', () => {
    const only: ChatMessage[] = [
      { role: 'user', content: 'look' },
      toolCall('c'),
      {
        role: 'tool',
        toolCallId: 'ca',
        toolName: 'mcp__fx__shot',
        content: '',
        isError: false,
        images: [{ mimeType: 'image/webp', data: 'CCCC' }],
      },
      { role: 'tool', toolCallId: 'cb', toolName: 'mcp__fx__echo', content: 'x', isError: true },
    ]
    const blocks = request(only).messages[2]!.content as ContentBlockParam[]
    expect(blocks[0]).toMatchObject({
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'CCCC' } },
      ],
    })
    expect(blocks[1]).toMatchObject({ content: 'x', is_error: true })
  })
})

describe('a model source knows whether its model takes images (the catalog)', () => {
  const source = (model: string, catalog?: ModelCatalog) =>
    modelSource(
      { provider: 'openai-compatible', model, baseUrl: 'http://127.0.0.1:9', apiKey: '' },
      catalog,
    )
  it('from the catalog, the user’s models.json, and not for an unknown model', () => {
    expect(source('gpt-4.1').images).toBe(true)
    expect(source('kimi-k2').images).toBeUndefined()
    expect(source('some-local-model').images).toBeUndefined()
    const user = new ModelCatalog([{ id: 'gpt-4.1', capabilities: { images: false } }])
    expect(source('gpt-4.1', user).images).toBeUndefined()
    const added = new ModelCatalog([{ id: 'my-vlm', capabilities: { images: true } }])
    expect(source('my-vlm', added).images).toBe(true)
  })
})
