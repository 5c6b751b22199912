import { describe, expect, it } from 'vitest'
import type { QuirkNote } from '../../src/main/providers/openai-quirks'
import { finishToolCalls } from '../../src/main/providers/openai-quirks'
import {
  findAttemptedToolCall,
  parseTextToolCalls,
  splitNameMarkup,
} from '../../src/main/providers/text-tool-calls'

const TOOLS = ['read', 'write', 'edit', 'bash', 'ls']
const parse = (text: string): ReturnType<typeof parseTextToolCalls> =>
  parseTextToolCalls(text, TOOLS)
/** The calls read from `text` as [name, parsed arguments]. */
const calls = (text: string): Array<[string, unknown]> =>
  parse(text).calls.map((c) => [c.name, JSON.parse(c.arguments) as unknown])
const EDIT = { path: 'a.txt', old_string: 'alpha', new_string: 'beta' }
const EDIT_JSON = JSON.stringify(EDIT)

describe('Hermes / Qwen JSON in <tool_call> tags', () => {
  it('reads two calls and keeps the text around them', () => {
    const r = parse(
      'First.\n<tool_call>\n{"name": "read", "arguments": {"path": "a"}}\n</tool_call>\nThen:\n' +
        '<tool_call>{"name": "ls", "arguments": "{}"}</tool_call>',
    )
    expect(r.calls).toEqual([
      { name: 'read', arguments: '{"path":"a"}' },
      { name: 'ls', arguments: '{}' },
    ])
    expect(r.rest).toBe('First.\n\nThen:')
    expect(r.format).toMatch(/Hermes/)
  })

  it('reads a list, a fenced body, single quotes, and an unclosed tag whose JSON is whole', () => {
    expect(calls('<tool_call>[{"name":"read","arguments":{}},{"name":"ls"}]</tool_call>')).toEqual([
      ['read', {}],
      ['ls', {}],
    ])
    expect(
      calls('<tool_call>```json\n{"name":"read","arguments":{"path":"a"}}\n```</tool_call>'),
    ).toEqual([['read', { path: 'a' }]])
    const lenient = parse("<tool_call>{'name': 'read', 'arguments': {'path': 'a'}}</tool_call>")
    expect(lenient.calls).toEqual([{ name: 'read', arguments: '{"path":"a"}' }])
    expect(lenient.lenient).toContain('single-quoted strings')
    const unclosed = parse('Reading.\n<tool_call>{"name":"read","arguments":{"path":"a"}}\n')
    expect(unclosed.calls).toHaveLength(1)
    expect(unclosed.rest).toBe('Reading.')
    // Prose after it: an answer that mentions a call, not one.
    const prose = parse('<tool_call>{"name":"read","arguments":{"path":"a"}} and more')
    expect([prose.calls, prose.failures]).toEqual([[], []])
  })

  it('reads the name on its own line before the arguments (GLM-4 style)', () => {
    expect(calls('<tool_call>read\n{"path": "a"}</tool_call>')).toEqual([['read', { path: 'a' }]])
  })

  it('reports a body that does not parse and reads nothing from it', () => {
    const text = '<tool_call>{"name": "read", "arguments": {"path": }</tool_call>'
    const r = parse(text)
    expect(r.calls).toEqual([])
    expect(r.rest).toBe(text)
    expect(r.failures[0]!.problem).toMatch(/does not parse/)
    expect(parse('<tool_call>{"arguments": {}}</tool_call>').failures[0]!.problem).toMatch(
      /no "name"/,
    )
  })

  it('keeps the calls it read when another block does not read, and says so', () => {
    const r = parse(
      '<tool_call>{"name":"read","arguments":{}}</tool_call><tool_call>oops {</tool_call>',
    )
    expect(r.calls).toHaveLength(1)
    expect(r.rest).toBe('<tool_call>oops {</tool_call>')
    expect(r.failures).toHaveLength(1)
  })

  it('does not take a tool definition echoed in <tools> for a call', () => {
    const r = parse(
      '<tools>{"type":"function","function":{"name":"read","description":"Read a file","parameters":{}}}</tools>',
    )
    expect(r.calls).toEqual([])
  })
})

describe('Qwen3-Coder XML', () => {
  it('reads raw multi-line values, without the template newline inside each tag', () => {
    const text =
      'Now:\n<tool_call>\n<function=edit>\n<parameter=path>\na.txt\n</parameter>\n' +
      '<parameter=old_string>\n  if (x) {\n    "quoted" <b>\n  }\n</parameter>\n' +
      '<parameter=replace_all>\ntrue\n</parameter>\n</function>\n</tool_call>'
    expect(calls(text)).toEqual([
      [
        'edit',
        { path: 'a.txt', old_string: '  if (x) {\n    "quoted" <b>\n  }', replace_all: 'true' },
      ],
    ])
    expect(parse(text).rest).toBe('Now:')
  })

  it('reads two calls, a bare <function=…> block, and Llama 3.1 JSON bodies', () => {
    expect(
      calls(
        '<tool_call><function=read><parameter=path>a</parameter></function></tool_call>' +
          '<tool_call><function=ls></function></tool_call>',
      ),
    ).toEqual([
      ['read', { path: 'a' }],
      ['ls', {}],
    ])
    expect(calls('<function=read><parameter=path>a</parameter></function>')).toEqual([
      ['read', { path: 'a' }],
    ])
    expect(calls('<function=read>{"path": "a"}</function>')).toEqual([['read', { path: 'a' }]])
  })

  it('ends values at the next parameter when no </parameter> is left, and refuses to guess', () => {
    expect(
      calls(
        '<tool_call><function=edit><parameter=path>a.txt\n<parameter=old_string>x\n</function></tool_call>',
      ),
    ).toEqual([['edit', { path: 'a.txt', old_string: 'x' }]])
    const two = parse(
      '<tool_call><function=write><parameter=path>a.txt\n<parameter=content>x</parameter></function></tool_call>',
    )
    expect(two.calls).toEqual([])
    expect(two.failures[0]!.problem).toMatch(
      /either "path" is not closed, or its value contains "<parameter="/,
    )
  })

  it('reports a parameter given twice and a block cut off before </function>', () => {
    expect(
      parse(
        '<tool_call><function=read><parameter=path>a</parameter><parameter=path>b</parameter></function></tool_call>',
      ).failures[0]!.problem,
    ).toMatch(/"path" twice/)
    const cut = parse('<tool_call>\n<function=edit>\n<parameter=path>a.txt</parameter>\n')
    expect(cut.calls).toEqual([])
    expect(cut.failures[0]!.problem).toMatch(/no closing <\/function>/)
  })
})

describe('GLM <arg_key>/<arg_value>', () => {
  it('reads calls with and without arguments', () => {
    expect(
      calls(
        '<tool_call>edit\n<arg_key>path</arg_key>\n<arg_value>a.txt</arg_value>\n' +
          '<arg_key>old_string</arg_key>\n<arg_value>alpha</arg_value>\n</tool_call>' +
          '<tool_call>ls</tool_call>',
      ),
    ).toEqual([
      ['edit', { path: 'a.txt', old_string: 'alpha' }],
      ['ls', {}],
    ])
  })

  it('reads the pairs when a server stripped the <tool_call> tokens, for an offered tool only', () => {
    const bare = 'Reading.\nread\n<arg_key>path</arg_key>\n<arg_value>a.txt</arg_value>'
    expect(calls(bare)).toEqual([['read', { path: 'a.txt' }]])
    expect(parse(bare).rest).toBe('Reading.')
    expect(calls(bare.replace('read\n', 'frobnicate\n'))).toEqual([])
  })

  it('reports a key without its value', () => {
    const r = parse('<tool_call>read\n<arg_key>path</arg_key>\n</tool_call>')
    expect(r.calls).toEqual([])
    expect(r.failures[0]!.problem).toMatch(/<arg_key> without its <arg_value>/)
  })

  it('splits markup that leaked into a structured call name, without guessing', () => {
    const name = 'edit<arg_key>path</arg_key><arg_value>a.txt</arg_value>'
    expect(splitNameMarkup(name, '')).toEqual({ name: 'edit', arguments: '{"path":"a.txt"}' })
    expect(splitNameMarkup(name, '{"old_string":"x"}')).toEqual({
      name: 'edit',
      arguments: '{"path":"a.txt","old_string":"x"}',
    })
    expect(splitNameMarkup(name, '<arg_key>old_string</arg_key><arg_value>x</arg_value>')).toEqual({
      name: 'edit',
      arguments: '{"path":"a.txt","old_string":"x"}',
    })
    expect(splitNameMarkup(name, '{"path":"b.txt"}')).toBeNull()
    expect(splitNameMarkup('edit', '{}')).toBeNull()
    expect(splitNameMarkup('<arg_key>path</arg_key><arg_value>a</arg_value>', '')).toBeNull()
  })
})

describe('bare JSON (Llama)', () => {
  it('reads a whole message that is only calls to offered tools', () => {
    expect(calls(`{"name": "edit", "parameters": ${EDIT_JSON}}`)).toEqual([['edit', EDIT]])
    expect(calls(`{"type": "function", "name": "edit", "parameters": ${EDIT_JSON}}`)).toEqual([
      ['edit', EDIT],
    ])
    expect(calls('<|python_tag|>{"name":"read","parameters":{"path":"a"}}<|eom_id|>')).toEqual([
      ['read', { path: 'a' }],
    ])
    expect(
      calls('{"name":"read","parameters":{"path":"a"}}; {"name":"ls","parameters":{}}'),
    ).toEqual([
      ['read', { path: 'a' }],
      ['ls', {}],
    ])
    expect(calls('[{"name":"read","arguments":{"path":"a"}}]')).toEqual([['read', { path: 'a' }]])
    expect(calls('```json\n{"name":"read","arguments":{"path":"a"}}\n```')).toEqual([
      ['read', { path: 'a' }],
    ])
    expect(
      calls('{"type":"function","function":{"name":"read","arguments":"{\\"path\\":\\"a\\"}"}}'),
    ).toEqual([['read', { path: 'a' }]])
  })

  it('leaves ordinary JSON answers alone', () => {
    for (const text of [
      '{"name": "Alice", "age": 3}',
      '{"name": "Alice", "parameters": {"age": 3}}',
      '{"name": "read", "arguments": {}, "note": "extra key"}',
      '[1, 2, 3]',
      '{"name": "read", "arguments": {}} — that is how you would call it',
      'The config is:\n```json\n{"name": "read", "arguments": {}}\n```\nas shown.',
    ]) {
      const r = parse(text)
      expect(r.calls, text).toEqual([])
      expect(r.failures, text).toEqual([])
    }
  })

  it('reports what follows <|python_tag|> when it is not a call', () => {
    expect(parse('<|python_tag|>print(1)').failures[0]!.problem).toMatch(/python_tag/)
  })
})

describe('Mistral [TOOL_CALLS]', () => {
  it('reads the JSON list and the NAME[ARGS] forms, one marker per call', () => {
    expect(calls(`[TOOL_CALLS][{"name":"edit","arguments":${EDIT_JSON}}]`)).toEqual([
      ['edit', EDIT],
    ])
    expect(calls(`[TOOL_CALLS]edit[ARGS]${EDIT_JSON}[TOOL_CALLS]ls[ARGS]{}`)).toEqual([
      ['edit', EDIT],
      ['ls', {}],
    ])
    const withId = parse('[TOOL_CALLS]read[CALL_ID]a1b2c3d4e[ARGS]{"path":"a"}')
    expect(withId.calls).toEqual([{ id: 'a1b2c3d4e', name: 'read', arguments: '{"path":"a"}' }])
    const old = parse('Sure. [TOOL_CALLS]read{"path":"a"}')
    expect(old.calls).toEqual([{ name: 'read', arguments: '{"path":"a"}' }])
    expect(old.rest).toBe('Sure.')
  })

  it('reports arguments cut off', () => {
    const r = parse('[TOOL_CALLS]edit[ARGS]{"path": "a.txt", "old_string": ')
    expect(r.calls).toEqual([])
    expect(r.failures[0]!.problem).toMatch(/not closed/)
  })
})

describe('DeepSeek tokens', () => {
  const V3 = (name: string, args: string): string =>
    `<｜tool▁call▁begin｜>function<｜tool▁sep｜>${name}\n\`\`\`json\n${args}\n\`\`\`<｜tool▁call▁end｜>`

  it('reads V3 (fenced) and V3.1 calls, fullwidth or ASCII', () => {
    const r = parse(
      `Let me.<｜tool▁calls▁begin｜>${V3('edit', EDIT_JSON)}\n${V3('ls', '{}')}<｜tool▁calls▁end｜><｜end▁of▁sentence｜>`,
    )
    expect(r.calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['edit', EDIT],
      ['ls', {}],
    ])
    expect(r.rest).toBe('Let me.')
    expect(
      calls(
        `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>edit<｜tool▁sep｜>${EDIT_JSON}<｜tool▁call▁end｜><｜tool▁calls▁end｜>`,
      ),
    ).toEqual([['edit', EDIT]])
    expect(
      calls(
        `<|tool_calls_begin|><|tool_call_begin|>edit<|tool_sep|>${EDIT_JSON}<|tool_call_end|><|tool_calls_end|>`,
      ),
    ).toEqual([['edit', EDIT]])
  })

  it('reports a call that is not closed', () => {
    const r = parse(`<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>edit<｜tool▁sep｜>{"path"`)
    expect(r.calls).toEqual([])
    expect(r.failures[0]!.problem).toMatch(/not closed/)
  })
})

describe('Kimi K2 tokens', () => {
  it('reads the name from functions.NAME:IDX and keeps that as the id', () => {
    const r = parse(
      'Ok.<|tool_calls_section_begin|><|tool_call_begin|>functions.edit:0<|tool_call_argument_begin|>' +
        `${EDIT_JSON}<|tool_call_end|><|tool_call_begin|>functions.ls:1<|tool_call_argument_begin|>{}` +
        '<|tool_call_end|><|tool_calls_section_end|>',
    )
    expect(r.calls).toEqual([
      { id: 'functions.edit:0', name: 'edit', arguments: EDIT_JSON },
      { id: 'functions.ls:1', name: 'ls', arguments: '{}' },
    ])
    expect(r.rest).toBe('Ok.')
  })

  it('reports a call without its argument token', () => {
    const r = parse(
      '<|tool_calls_section_begin|><|tool_call_begin|>functions.edit:0 {}<|tool_call_end|>',
    )
    expect(r.calls).toEqual([])
    expect(r.failures[0]!.problem).toMatch(/tool_call_argument_begin/)
  })
})

describe('gpt-oss harmony leftovers', () => {
  it('reads the full header, the recipient before the channel, and stripped tokens', () => {
    for (const text of [
      `<|start|>assistant<|channel|>commentary to=functions.edit <|constrain|>json<|message|>${EDIT_JSON}<|call|>`,
      `<|start|>assistant to=functions.edit<|channel|>commentary json<|message|>${EDIT_JSON}<|call|>`,
      `commentary to=functions.edit json${EDIT_JSON}`,
      `assistant to=functions.editcommentary json${EDIT_JSON}`,
      `to=edit<|channel|>commentary json<|message|>${EDIT_JSON}`,
    ]) {
      const r = parse(text)
      expect(
        r.calls.map((c) => [c.name, JSON.parse(c.arguments)]),
        text,
      ).toEqual([['edit', EDIT]])
      expect(r.rest, text).toBe('')
    }
  })

  it('keeps the analysis before the call, and needs the namespace for a tool not offered', () => {
    const r = parse(`I will edit.<|channel|>commentary to=functions.edit json${EDIT_JSON}`)
    expect(r.rest).toBe('I will edit.')
    expect(calls('send it to=frobnicate json{}')).toEqual([])
  })

  it('reports a recipient without arguments', () => {
    expect(parse('commentary to=functions.edit json').failures[0]!.problem).toMatch(
      /no JSON object/,
    )
  })
})

describe('other formats', () => {
  it('reads <invoke> blocks: MiniMax, DeepSeek DSML, Claude-style', () => {
    expect(
      calls(
        '<minimax:tool_call>\n<invoke name="read">\n<parameter name="path">a.txt</parameter>\n</invoke>\n</minimax:tool_call>',
      ),
    ).toEqual([['read', { path: 'a.txt' }]])
    expect(
      calls(
        '<｜DSML｜function_calls>\n<｜DSML｜invoke name="read">\n<｜DSML｜parameter name="path" string="true">a.txt</｜DSML｜parameter>\n</｜DSML｜invoke>\n</｜DSML｜function_calls>',
      ),
    ).toEqual([['read', { path: 'a.txt' }]])
    const claude = parse(
      'Reading.\n<function_calls><invoke name="read"><parameter name="path">a</parameter></invoke></function_calls>',
    )
    expect(claude.calls).toHaveLength(1)
    expect(claude.rest).toBe('Reading.')
  })

  it('reads Granite/Functionary <|tool_call|> and Phi-4 functools lists', () => {
    expect(calls('<|tool_call|>[{"name":"read","arguments":{"path":"a"}}]')).toEqual([
      ['read', { path: 'a' }],
    ])
    expect(calls('functools[{"name":"read","arguments":{"path":"a"}}]')).toEqual([
      ['read', { path: 'a' }],
    ])
  })

  it('reads a pythonic call list with Python literals, and reports positional arguments', () => {
    expect(
      calls(
        `[edit(path='a.txt', old_string="x\\ny", replace_all=True), ls(n=3, l=[1, None], d={'k': 'v'},)]`,
      ),
    ).toEqual([
      ['edit', { path: 'a.txt', old_string: 'x\ny', replace_all: true }],
      ['ls', { n: 3, l: [1, null], d: { k: 'v' } }],
    ])
    expect(parse("[read('a.txt')]").failures[0]!.problem).toMatch(/positional/)
    expect(calls('[frobnicate(a=1)]')).toEqual([])
  })
})

describe('a call attempted but not read', () => {
  const attempted = (content: string, reasoning = ''): ReturnType<typeof findAttemptedToolCall> =>
    findAttemptedToolCall(content, reasoning, TOOLS)

  it('names the format and what failed', () => {
    const a = attempted('<tool_call>\n<function=edit>\n<parameter=path>a.txt</parameter>\n')
    expect(a).toMatchObject({ format: expect.stringMatching(/Qwen3-Coder/), where: 'content' })
    expect(a!.problem).toMatch(/no closing <\/function>/)
  })

  it('sees a JSON call naming an offered tool in prose, valid or not, in content or reasoning', () => {
    expect(attempted('I will call {"name": "edit", "arguments": {"path": "a"}}')!.problem).toMatch(
      /not a tool call/,
    )
    expect(attempted('', 'Plan: {"name": "edit", "arguments": {"path": ')).toMatchObject({
      where: 'reasoning',
      problem: expect.stringMatching(/not valid JSON/),
    })
  })

  it('sees calls written as text that were read but not run (a path that reads none)', () => {
    expect(attempted('<tool_call>{"name":"read","arguments":{}}</tool_call>')!.problem).toMatch(
      /not run/,
    )
  })

  it('is null for ordinary answers', () => {
    expect(attempted('All done: the file now says beta.')).toBeNull()
    expect(attempted('{"name": "Alice", "arguments": ["x"]}')).toBeNull()
    expect(attempted('Use `read` with {"path": "a"} to read it.')).toBeNull()
  })
})

describe('finishToolCalls with text calls', () => {
  it('gives text calls fresh ids without a missing-id note, and reads the reasoning when the content is empty', () => {
    const notes: QuirkNote[] = []
    const out = finishToolCalls([], '\n', new Set(['call_text_0']), notes, {
      toolNames: TOOLS,
      reasoning: '<tool_call>{"name":"read","arguments":{"path":"a"}}</tool_call>',
    })
    expect(out.toolCalls).toEqual([{ id: 'call_text_1', name: 'read', arguments: '{"path":"a"}' }])
    expect(out.content).toBe('\n')
    expect(notes).toEqual([
      { kind: 'text_tool_calls', detail: expect.stringMatching(/Hermes.*in the reasoning$/) },
    ])
  })

  it('reads bare JSON only with the offered tool names', () => {
    const text = '{"name":"read","parameters":{"path":"a"}}'
    expect(finishToolCalls([], text, new Set(), []).toolCalls).toEqual([])
    expect(finishToolCalls([], text, new Set(), [], { toolNames: TOOLS }).toolCalls).toHaveLength(1)
  })

  it('splits GLM markup out of a structured call name', () => {
    const notes: QuirkNote[] = []
    const out = finishToolCalls(
      [{ id: 'c1', name: 'read<arg_key>path</arg_key><arg_value>a</arg_value>', arguments: '' }],
      '',
      new Set(),
      notes,
    )
    expect(out.toolCalls).toEqual([{ id: 'c1', name: 'read', arguments: '{"path":"a"}' }])
    expect(notes.map((n) => n.kind)).toEqual(['name_markup'])
  })
})
