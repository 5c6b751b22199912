import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { ReplyTurn } from '../support/fake-llm'
import { callsSent, logged } from '../support/session-log'

/**
 * Tool calls that models write as text (the server parsed none), streamed at the wire in each
 * format open models use: each must edit the file, be recorded as a repair, and be answered in
 * the next request like a structured call. A call that cannot be read gets one correction.
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

const results = (f: AgentFixture) => logged(f, 'tool_result')
const repairs = (f: AgentFixture) => logged(f, 'repair')
const userMessages = (f: AgentFixture) => logged(f, 'user_message')
const fileText = (f: AgentFixture): string => readFileSync(join(f.workspace, 'a.txt'), 'utf8')

/** `text` in three pieces cut mid-token, as a server streams it. */
function streamed(text: string): string[] {
  const third = Math.ceil(text.length / 3)
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)]
}

const EDIT = { path: 'a.txt', old_string: 'alpha', new_string: 'beta' }
const EDIT_JSON = JSON.stringify(EDIT)
const FS = '｜'
const DS = (s: string): string => s.replaceAll('|', FS).replaceAll('_', '▁')

interface Case {
  what: string
  /** The model's reply, as streamed. */
  reply: ReplyTurn
  /** A word of the format's name in the repair note. */
  format: RegExp
  /** The answer's text once the call is cut out of it. */
  rest?: string
}

const CASES: Case[] = [
  {
    what: 'Hermes/Qwen JSON in <tool_call> tags, with text before it',
    reply: {
      text: streamed(
        `Editing now.\n<tool_call>\n{"name": "edit", "arguments": ${EDIT_JSON}}\n</tool_call>`,
      ),
    },
    format: /Hermes/,
    rest: 'Editing now.',
  },
  {
    what: 'Qwen3-Coder XML with multi-line parameters',
    reply: {
      text: streamed(
        '<tool_call>\n<function=edit>\n<parameter=path>\na.txt\n</parameter>\n' +
          '<parameter=old_string>\nalpha\n</parameter>\n<parameter=new_string>\nbeta\n' +
          '</parameter>\n</function>\n</tool_call>',
      ),
    },
    format: /Qwen3-Coder XML/,
  },
  {
    what: 'GLM-4.5 <arg_key>/<arg_value> markup',
    reply: {
      text: streamed(
        '<tool_call>edit\n<arg_key>path</arg_key>\n<arg_value>a.txt</arg_value>\n' +
          '<arg_key>old_string</arg_key>\n<arg_value>alpha</arg_value>\n' +
          '<arg_key>new_string</arg_key>\n<arg_value>beta</arg_value>\n</tool_call>',
      ),
    },
    format: /GLM/,
  },
  {
    what: "Llama 3's bare JSON after <|python_tag|>",
    reply: { text: streamed(`<|python_tag|>{"name": "edit", "parameters": ${EDIT_JSON}}`) },
    format: /bare JSON/,
  },
  {
    what: "Llama 3.2's {type: function} bare JSON",
    reply: { text: `{"type": "function", "name": "edit", "parameters": ${EDIT_JSON}}` },
    format: /bare JSON/,
  },
  {
    what: 'Mistral [TOOL_CALLS] with a JSON list',
    reply: { text: streamed(`[TOOL_CALLS][{"name": "edit", "arguments": ${EDIT_JSON}}]`) },
    format: /Mistral/,
  },
  {
    what: 'Mistral [TOOL_CALLS]NAME[ARGS]{…}',
    reply: { text: streamed(`[TOOL_CALLS]edit[ARGS]${EDIT_JSON}`) },
    format: /Mistral/,
  },
  {
    what: 'DeepSeek V3 tokens with a fenced JSON body',
    reply: {
      text: streamed(
        DS('<|tool_calls_begin|><|tool_call_begin|>function<|tool_sep|>') +
          'edit\n```json\n' +
          EDIT_JSON +
          '\n```' +
          DS('<|tool_call_end|><|tool_calls_end|>'),
      ),
    },
    format: /DeepSeek/,
  },
  {
    what: 'DeepSeek V3.1 tokens',
    reply: {
      text: streamed(
        DS('<|tool_calls_begin|><|tool_call_begin|>') +
          'edit' +
          DS('<|tool_sep|>') +
          EDIT_JSON +
          DS('<|tool_call_end|><|tool_calls_end|>'),
      ),
    },
    format: /DeepSeek/,
  },
  {
    what: 'Kimi K2 tokens',
    reply: {
      text: streamed(
        `<|tool_calls_section_begin|><|tool_call_begin|>functions.edit:0<|tool_call_argument_begin|>${EDIT_JSON}<|tool_call_end|><|tool_calls_section_end|>`,
      ),
    },
    format: /Kimi/,
  },
  {
    what: 'gpt-oss harmony tokens',
    reply: {
      text: streamed(
        `<|start|>assistant<|channel|>commentary to=functions.edit <|constrain|>json<|message|>${EDIT_JSON}<|call|>`,
      ),
    },
    format: /harmony/,
  },
  {
    what: 'gpt-oss harmony with the special tokens stripped',
    reply: { text: streamed(`commentary to=functions.edit json${EDIT_JSON}`) },
    format: /harmony/,
  },
  {
    what: 'a pythonic call list',
    reply: { text: "[edit(path='a.txt', old_string='alpha', new_string='beta')]" },
    format: /pythonic/,
  },
  {
    what: 'MiniMax <invoke> markup',
    reply: {
      text: streamed(
        '<minimax:tool_call>\n<invoke name="edit">\n<parameter name="path">a.txt</parameter>\n' +
          '<parameter name="old_string">alpha</parameter>\n<parameter name="new_string">beta' +
          '</parameter>\n</invoke>\n</minimax:tool_call>',
      ),
    },
    format: /invoke/,
  },
  {
    what: 'Granite <|tool_call|>[…]',
    reply: { text: streamed(`<|tool_call|>[{"name": "edit", "arguments": ${EDIT_JSON}}]`) },
    format: /Granite/,
  },
  {
    what: 'a call inside the reasoning field (reasoning_content), the content empty',
    reply: {
      reasoning: streamed(
        `I should edit the file.\n<tool_call>\n{"name": "edit", "arguments": ${EDIT_JSON}}\n</tool_call>`,
      ),
    },
    format: /Hermes.* in the reasoning/,
  },
]

describe('tool calls written as text, at the wire', () => {
  for (const c of CASES) {
    it(`runs ${c.what}, records it, and answers it in the next request`, async () => {
      a = await agentFixture()
      a.write('a.txt', 'alpha\n')
      a.fake.script(c.reply, { text: 'Done.' })
      expect(await a.run('Change alpha to beta in a.txt')).toEqual({ reason: 'done' })

      expect(fileText(a)).toBe('beta\n')
      const [result] = results(a)
      expect(result).toMatchObject({ toolName: 'edit', isError: false })
      const notes = repairs(a).flatMap((r) => r.notes)
      const note = notes.find((n) => n.kind === 'text_tool_calls')
      expect(note?.detail).toMatch(c.format)
      expect(notes.map((n) => n.kind)).not.toContain('missing_id')

      const [answer] = logged(a, 'assistant_message')
      expect(answer!.content).toBe(c.rest ?? '')
      // The next request sends the call as a structured call, answered by its tool result.
      const requests = a.fake.chatRequests()
      expect(requests).toHaveLength(2)
      const messages = requests[1]!.messages as ChatCompletionMessageParam[]
      const calls = callsSent(a, 1)
      expect(calls.map((t) => [t.function.name, JSON.parse(t.function.arguments)])).toEqual([
        ['edit', EDIT],
      ])
      const tool = messages.at(-1)!
      expect(tool.role).toBe('tool')
      expect(tool.role === 'tool' && tool.tool_call_id).toBe(calls[0]!.id)
      expect(userMessages(a).map((u) => u.kind)).toEqual(['prompt'])
    })
  }

  it('splits GLM markup that leaked into a structured call name', async () => {
    a = await agentFixture()
    a.write('a.txt', 'alpha\n')
    a.fake.script(
      {
        toolCalls: [
          {
            name:
              'edit<arg_key>path</arg_key><arg_value>a.txt</arg_value>' +
              '<arg_key>old_string</arg_key><arg_value>alpha</arg_value>',
            arguments: '{"new_string": "beta"}',
          },
        ],
      },
      { text: 'Done.' },
    )
    expect(await a.run('Change alpha to beta')).toEqual({ reason: 'done' })
    expect(fileText(a)).toBe('beta\n')
    expect(repairs(a).flatMap((r) => r.notes.map((n) => n.kind))).toContain('name_markup')
    const [call] = callsSent(a, 1)
    expect(call!.function.name).toBe('edit')
  })

  it('leaves an ordinary JSON answer alone: no call, no correction, the run ends', async () => {
    a = await agentFixture()
    a.fake.script({ text: '{"name": "Alice", "parameters": {"age": 3}}' })
    expect(await a.run('Give me a JSON person')).toEqual({ reason: 'done' })
    expect(results(a)).toEqual([])
    expect(repairs(a)).toEqual([])
    expect(a.fake.chatRequests()).toHaveLength(1)
  })
})

describe('a tool call written as text that cannot be read', () => {
  const BROKEN =
    'I will edit it.\n<tool_call>\n<function=edit>\n<parameter=path>a.txt</parameter>\n' +
    '<parameter=old_string>alpha</parameter>'

  it('is corrected once: the model is told what failed and how to call tools, then calls', async () => {
    a = await agentFixture()
    a.write('a.txt', 'alpha\n')
    a.fake.script(
      { text: streamed(BROKEN) },
      { toolCalls: [{ name: 'edit', arguments: EDIT }] },
      { text: 'Done.' },
    )
    expect(await a.run('Change alpha to beta')).toEqual({ reason: 'done' })
    expect(fileText(a)).toBe('beta\n')

    const corrections = userMessages(a).filter((u) => u.kind === 'correction')
    expect(corrections).toHaveLength(1)
    const sent = a.fake.chatRequests()[1]!.messages as ChatCompletionMessageParam[]
    const last = sent.at(-1)!
    expect(last.role).toBe('user')
    expect(last.content).toBe(corrections[0]!.text)
    expect(last.content).toMatch(/Qwen3-Coder XML/)
    expect(last.content).toMatch(/no closing <\/function>/)
    expect(last.content).toMatch(/tool-calling interface/)
    expect(last.content).toMatch(/read, .*edit/)
    const note = repairs(a)
      .flatMap((r) => r.notes)
      .find((n) => n.kind === 'unread_text_tool_call')
    expect(note?.detail).toMatch(/^Qwen3-Coder XML .* in the content: /)
  })

  it('ends the run normally when the next turn fails the same way', async () => {
    a = await agentFixture()
    a.write('a.txt', 'alpha\n')
    a.fake.script({ text: BROKEN }, { text: BROKEN })
    expect(await a.run('Change alpha to beta')).toEqual({ reason: 'done' })
    expect(a.fake.chatRequests()).toHaveLength(2)
    expect(userMessages(a).map((u) => u.kind)).toEqual(['prompt', 'correction'])
    expect(fileText(a)).toBe('alpha\n')
  })

  it('corrects a JSON call written after prose, at the end of the message', async () => {
    a = await agentFixture()
    a.write('a.txt', 'alpha\n')
    a.fake.script(
      { text: `I'll call {"name": "edit", "arguments": ${EDIT_JSON}}` },
      { toolCalls: [{ name: 'edit', arguments: EDIT }] },
      { text: 'Done.' },
    )
    expect(await a.run('Change alpha to beta')).toEqual({ reason: 'done' })
    expect(fileText(a)).toBe('beta\n')
    const [correction] = userMessages(a).filter((u) => u.kind === 'correction')
    expect(correction!.text).toMatch(/naming the tool "edit"/)
  })
})
