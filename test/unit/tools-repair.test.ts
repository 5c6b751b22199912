import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { builtinTools, eraseTool } from '../../src/main/tools/registry'
import type { RepairedCall, RepairKind } from '../../src/main/tools/repair'
import { prepareToolCall } from '../../src/main/tools/repair'
import { TOOL_ALIASES } from '../../src/main/tools/repair-names'
import type { AnyTool, Tool } from '../../src/main/tools/types'

const tools = builtinTools()

/** A tool with an array, optional scalars and a nested object, which the built-ins lack. */
const collectSchema = z
  .object({
    paths: z.array(z.string()),
    n: z.number().optional(),
    flag: z.boolean().optional(),
    opts: z.object({ a: z.string() }).optional(),
  })
  .strict()

function testTool<I>(name: string, schema: z.ZodType<I>): AnyTool {
  const tool: Tool<I> = {
    name,
    description: `A test tool named ${name}.`,
    schema,
    effect: () => ({ kind: 'read' }),
    execute: () => Promise.resolve({ content: '', isError: false }),
  }
  return eraseTool(tool)
}

const collect = testTool('collect', collectSchema)
const withCollect = [...tools, collect]

type Ok = Extract<RepairedCall, { ok: true }>
type Failed = Extract<RepairedCall, { ok: false }>

function call(name: string, args: string | object, list: readonly AnyTool[] = withCollect) {
  return prepareToolCall(name, typeof args === 'string' ? args : JSON.stringify(args), list)
}

/** A success whose input the tool's own strict schema accepts as it is. */
function ok(result: RepairedCall): Ok {
  if (!result.ok) throw new Error(`expected a prepared call, got:\n${result.error}`)
  expect(result.tool.schema.safeParse(result.input)).toMatchObject({ success: true })
  return result
}

function failed(result: RepairedCall): Failed {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.input)}`)
  return result
}

function kinds(result: RepairedCall): RepairKind[] {
  return result.repairs.map((r) => r.kind)
}

describe('prepareToolCall: valid calls', () => {
  it('takes a valid call as sent, with no repairs', () => {
    const result = ok(call('read', { path: 'src/a.ts', offset: 3 }))
    expect(result.tool.name).toBe('read')
    expect(result.input).toEqual({ path: 'src/a.ts', offset: 3 })
    expect(result.repairs).toEqual([])
  })

  it('reads empty arguments as no arguments', () => {
    expect(ok(call('ls', '')).input).toEqual({})
    expect(ok(call('ls', '  \n')).repairs).toEqual([])
  })

  it('leaves strings that look like numbers, booleans, null or JSON alone where strings belong', () => {
    const inputs: Array<[string, Record<string, unknown>]> = [
      ['bash', { command: '10' }],
      ['write', { path: 'a.json', content: '[1, 2]' }],
      ['write', { path: 'b.json', content: '{"a": 1}' }],
      ['write', { path: 'null', content: 'null' }],
      ['grep', { pattern: 'true', path: 'False' }],
      ['edit', { path: 'a', old_string: '', new_string: '{}' }],
    ]
    for (const [name, input] of inputs) {
      const result = ok(call(name, input))
      expect(result.input, name).toEqual(input)
      expect(result.repairs, name).toEqual([])
    }
  })

  it('returns generated valid inputs unchanged, with no repairs (property)', () => {
    const random = seeded(20240611)
    const pieces = [
      'a',
      'Z',
      ' ',
      '"',
      "'",
      '\\',
      '\n',
      '\t',
      '{',
      '}',
      '[',
      ',',
      'é',
      '🙂',
      'null',
      '10',
    ]
    const text = (min: number): string => {
      let s = ''
      const length = min + Math.floor(random() * 12)
      for (let i = 0; i < length; i++) s += pieces[Math.floor(random() * pieces.length)] ?? ''
      return s
    }
    const maybe = <T>(value: T): T | undefined => (random() < 0.5 ? value : undefined)
    const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1))
    const generators: Array<[string, () => Record<string, unknown>]> = [
      ['read', () => ({ path: text(1), offset: maybe(int(1, 5000)), limit: maybe(int(1, 2000)) })],
      ['write', () => ({ path: text(1), content: text(0) })],
      [
        'edit',
        () => ({
          path: text(1),
          old_string: text(0),
          new_string: text(0),
          replace_all: maybe(random() < 0.5),
        }),
      ],
      ['bash', () => ({ command: text(1), timeout_ms: maybe(int(1, 600000)) })],
      [
        'grep',
        () => ({
          pattern: text(1),
          path: maybe(text(1)),
          glob: maybe(text(1)),
          ignore_case: maybe(random() < 0.5),
          context: maybe(int(0, 5)),
        }),
      ],
      ['glob', () => ({ pattern: text(1), path: maybe(text(1)) })],
      ['ls', () => ({ path: maybe(text(1)) })],
      [
        'collect',
        () => ({
          paths: Array.from({ length: int(0, 3) }, () => text(0)),
          n: maybe(random() * 100 - 50),
          flag: maybe(random() < 0.5),
          opts: maybe({ a: text(0) }),
        }),
      ],
    ]
    for (let round = 0; round < 40; round++) {
      for (const [name, generate] of generators) {
        const input = JSON.parse(JSON.stringify(generate())) as Record<string, unknown>
        const result = ok(call(name, input))
        expect(result.input, `${name} ${JSON.stringify(input)}`).toEqual(input)
        expect(result.repairs, `${name} ${JSON.stringify(input)}`).toEqual([])
      }
    }
  })
})

describe('prepareToolCall: tool names', () => {
  it.each(['Read', 'READ', 'r_e-a.d', ' read '])(
    'matches %j to read ignoring case and separators',
    (name) => {
      const result = ok(call(name, { path: 'a' }))
      expect(result.tool.name).toBe('read')
      expect(result.repairs).toEqual([{ kind: 'tool_name', detail: `tool name "${name}" → read` }])
    },
  )

  it('matches read-file and ReadFile to a tool named read_file', () => {
    const readFile = testTool('read_file', z.object({ path: z.string() }).strict())
    for (const name of ['read-file', 'ReadFile', 'READ_FILE']) {
      const result = ok(call(name, { path: 'a' }, [readFile]))
      expect(result.tool).toBe(readFile)
      expect(kinds(result)).toEqual(['tool_name'])
    }
  })

  it('drops a namespace prefix and chat-template debris after the name', () => {
    expect(ok(call('functions.read', { path: 'a' })).tool.name).toBe('read')
    expect(ok(call('default_api:ls', {})).tool.name).toBe('ls')
    expect(ok(call('bash<|channel|>commentary', { command: 'ls' })).tool.name).toBe('bash')
  })

  it.each(Object.entries(TOOL_ALIASES))('resolves the alias %s to %s', (alias, target) => {
    const result = call(alias, '{}')
    expect(result.repairs[0]).toMatchObject({ kind: 'tool_name' })
    expect(result.repairs[0]?.detail).toContain(`"${alias}"`)
    // {} is invalid for most tools; the call still resolved to the right one.
    if (result.ok) expect(result.tool.name).toBe(target)
    else expect(result.error).toContain(`Invalid arguments for ${target}:`)
  })

  it('resolves aliases in other spellings: ReadFile, run-command, LIST_DIRECTORY', () => {
    expect(ok(call('ReadFile', { path: 'a' })).tool.name).toBe('read')
    expect(ok(call('run-command', { command: 'ls' })).tool.name).toBe('bash')
    expect(ok(call('LIST_DIRECTORY', {})).tool.name).toBe('ls')
  })

  it('prefers an offered tool named like an alias, and needs the alias target offered', () => {
    const shell = testTool('shell', z.object({ line: z.string() }).strict())
    const result = ok(call('shell', { line: 'ls' }, [...tools, shell]))
    expect(result.tool).toBe(shell)
    expect(result.repairs).toEqual([])

    const withoutBash = tools.filter((t) => t.name !== 'bash')
    const refused = failed(call('shell', { command: 'ls' }, withoutBash))
    expect(refused.error).toBe(
      'Unknown tool "shell". Available tools: read, write, edit, shell_read, shell_write, shell_interrupt, grep, glob, ls.',
    )
  })

  it('refuses an unknown tool, listing the available tools', () => {
    const result = failed(call('deploy', { target: 'prod' }, tools))
    expect(result.error).toBe(
      'Unknown tool "deploy". Available tools: read, write, edit, bash, shell_read, shell_write, shell_interrupt, grep, glob, ls.',
    )
    expect(result.repairs).toEqual([])
  })

  it('refuses a name two offered tools match after normalising', () => {
    const a = testTool('read_file', z.object({}).strict())
    const b = testTool('readFile', z.object({}).strict())
    expect(failed(call('READFILE', {}, [a, b])).error).toContain('Unknown tool "READFILE"')
  })
})

describe('prepareToolCall: almost-JSON arguments', () => {
  const forms: Array<[string, string, string, Record<string, unknown>, string]> = [
    [
      'trailing commas',
      'read',
      '{"path": "a.ts", "limit": 5,}',
      { path: 'a.ts', limit: 5 },
      'trailing commas',
    ],
    [
      'single quotes',
      'read',
      "{'path': 'it\\'s.ts'}",
      { path: "it's.ts" },
      'single-quoted strings',
    ],
    [
      'unquoted keys',
      'read',
      '{path: "a.ts", offset: 2}',
      { path: 'a.ts', offset: 2 },
      'unquoted keys',
    ],
    ['a ```json fence', 'ls', '```json\n{"path": "src"}\n```', { path: 'src' }, 'a ``` fence'],
    ['a bare ``` fence', 'ls', '```\n{"path": "src"}\n```', { path: 'src' }, 'a ``` fence'],
    [
      'prose around the object',
      'ls',
      'I will list the folder.\n{"path": "src"}\nThat should do it.',
      { path: 'src' },
      'prose around the object',
    ],
    [
      'Python literals',
      'grep',
      '{"pattern": "x", "ignore_case": True}',
      { pattern: 'x', ignore_case: true },
      'Python literals',
    ],
    [
      'comments',
      'read',
      '{\n  // the file\n  "path": "a.ts", /* from line */ "offset": 4\n}',
      { path: 'a.ts', offset: 4 },
      'comments',
    ],
    [
      'raw newlines in a string',
      'write',
      '{"path": "a.txt", "content": "one\ntwo\n"}',
      { path: 'a.txt', content: 'one\ntwo\n' },
      'raw control characters in strings',
    ],
    [
      'an invalid escape, kept',
      'grep',
      '{"pattern": "\\d+\\s"}',
      { pattern: '\\d+\\s' },
      'invalid escapes',
    ],
  ]

  it.each(forms)('parses %s', (_label, name, text, expected, fix) => {
    const result = ok(call(name, text))
    expect(result.input).toEqual(expected)
    expect(kinds(result)).toEqual(['lenient_json'])
    expect(result.repairs[0]?.detail).toContain(fix)
  })

  it('parses None as null, then omits it for an optional field', () => {
    const result = ok(call('read', "{'path': 'a', 'limit': None}"))
    expect(result.input).toEqual({ path: 'a' })
    expect(kinds(result)).toEqual(['lenient_json', 'null_omitted'])
  })

  it('refuses two objects back to back rather than guess', () => {
    const result = failed(call('read', '{"path": "a"}{"path": "b"}'))
    expect(result.error).toContain('more than one JSON object')
  })

  it('refuses text that is not JSON, saying where it went wrong', () => {
    const result = failed(call('read', '{"path": "a" "offset": 2}'))
    expect(result.error).toBe(
      'The arguments of read are not valid JSON (expected "," or "}" at line 1 column 14). ' +
        'Send them as a single JSON object.',
    )
    expect(failed(call('bash', 'ls -la')).error).toContain('not valid JSON')
  })

  it('keeps a "__proto__" key an own property, never the prototype', () => {
    const result = failed(call('read', "{'__proto__': {'path': 'x'}}"))
    expect(result.error).toContain('__proto__: not an accepted argument')
    expect(({} as Record<string, unknown>).path).toBeUndefined()
  })
})

describe('prepareToolCall: wrapping layers', () => {
  const inner = { command: 'npm test', timeout_ms: 5000 }
  const wrappers: Array<[string, unknown]> = [
    ['input', inner],
    ['arguments', JSON.stringify(inner)],
    ['arguments', inner],
    ['parameters', inner],
    ['args', inner],
  ]

  it.each(wrappers)('unwraps {"%s": …}', (key, value) => {
    const result = ok(call('bash', { [key]: value }))
    expect(result.input).toEqual(inner)
    expect(result.repairs).toEqual([expect.objectContaining({ kind: 'unwrapped', field: key })])
  })

  it('unwraps a whole tool call {"name": …, "arguments": …} naming this tool', () => {
    const result = ok(call('bash', { name: 'bash', arguments: inner }))
    expect(result.input).toEqual(inner)
    expect(kinds(result)).toEqual(['unwrapped'])
    const other = failed(call('bash', { name: 'write', arguments: inner }))
    expect(other.error).toContain('- command: required, missing')
  })

  it('leaves a key alone when the tool has an argument of that name', () => {
    const echo = testTool('echo', z.object({ input: z.string() }).strict())
    const valid = ok(call('echo', { input: '{"x": 1}' }, [echo]))
    expect(valid.input).toEqual({ input: '{"x": 1}' })
    const wrong = failed(call('echo', { input: { input: 'x' } }, [echo]))
    expect(wrong.error).toContain('- input: expected a string, got an object with keys input')
    expect(kinds(wrong)).toEqual([])
  })
})

describe('prepareToolCall: field repairs', () => {
  it('omits null for optional fields', () => {
    const result = ok(call('grep', { pattern: 'x', path: null, glob: null, context: null }))
    expect(result.input).toEqual({ pattern: 'x' })
    expect(result.repairs).toEqual([
      { kind: 'null_omitted', field: 'path', detail: 'path: null for an optional field → omitted' },
      { kind: 'null_omitted', field: 'glob', detail: 'glob: null for an optional field → omitted' },
      {
        kind: 'null_omitted',
        field: 'context',
        detail: 'context: null for an optional field → omitted',
      },
    ])
  })

  it('does not omit null for a required field', () => {
    const result = failed(call('read', { path: null }))
    expect(result.error).toBe(
      'Invalid arguments for read:\n- path: expected a non-empty string, got null',
    )
  })

  it('parses an array and an object sent as JSON strings', () => {
    const result = ok(call('collect', { paths: '["a.ts", "b.ts"]', opts: '{"a": "x"}' }))
    expect(result.input).toEqual({ paths: ['a.ts', 'b.ts'], opts: { a: 'x' } })
    expect(result.repairs).toEqual([
      expect.objectContaining({ kind: 'json_string_parsed', field: 'paths' }),
      expect.objectContaining({ kind: 'json_string_parsed', field: 'opts' }),
    ])
  })

  it('parses arguments double-encoded as one JSON string', () => {
    const result = ok(call('read', JSON.stringify(JSON.stringify({ path: 'a' }))))
    expect(result.input).toEqual({ path: 'a' })
    expect(kinds(result)).toEqual(['json_string_parsed'])
  })

  it('coerces numbers and booleans sent as strings', () => {
    const result = ok(call('grep', { pattern: 'x', context: '2', ignore_case: 'true' }))
    expect(result.input).toEqual({ pattern: 'x', context: 2, ignore_case: true })
    expect(result.repairs).toEqual([
      { kind: 'coerced', field: 'context', detail: 'context: the string "2" → the number 2' },
      {
        kind: 'coerced',
        field: 'ignore_case',
        detail: 'ignore_case: the string "true" → the boolean true',
      },
    ])
    expect(
      ok(call('edit', { path: 'a', old_string: 'x', new_string: 'y', replace_all: 'False' })).input,
    ).toMatchObject({ replace_all: false })
    expect(ok(call('collect', { paths: [], n: ' -1.5e2 ' })).input).toEqual({ paths: [], n: -150 })
  })

  it('coerces numbers and booleans to strings where strings are expected', () => {
    const result = ok(call('edit', { path: 'a.ts', old_string: 12, new_string: true }))
    expect(result.input).toEqual({ path: 'a.ts', old_string: '12', new_string: 'true' })
    expect(result.repairs).toEqual([
      {
        kind: 'coerced',
        field: 'old_string',
        detail: 'old_string: the number 12 → the string "12"',
      },
      {
        kind: 'coerced',
        field: 'new_string',
        detail: 'new_string: the boolean true → the string "true"',
      },
    ])
  })

  it('coerces inside an array and a nested object, naming the field', () => {
    const result = ok(call('collect', { paths: [1, 'b'], opts: { a: 5 } }))
    expect(result.input).toEqual({ paths: ['1', 'b'], opts: { a: '5' } })
    expect(result.repairs.map((r) => r.field)).toEqual(['paths[0]', 'opts.a'])
  })

  it('does not coerce what is not a clean number or boolean', () => {
    const result = failed(call('read', { path: 'a', offset: '10 lines', limit: '2.5' }))
    expect(result.error).toBe(
      'Invalid arguments for read:\n' +
        '- offset: expected an integer ≥ 1, got a string ("10 lines")\n' +
        '- limit: expected an integer ≥ 1, got a string ("2.5")',
    )
    expect(result.repairs).toEqual([])
  })

  it('wraps a single value where an array is expected', () => {
    const one = ok(call('collect', { paths: 'src/a.ts' }))
    expect(one.input).toEqual({ paths: ['src/a.ts'] })
    expect(one.repairs).toEqual([
      {
        kind: 'wrapped_in_array',
        field: 'paths',
        detail: 'paths: a single string where an array is expected → wrapped in an array',
      },
    ])
    const number = ok(call('collect', { paths: 7 }))
    expect(number.input).toEqual({ paths: ['7'] })
    expect(kinds(number)).toEqual(['wrapped_in_array', 'coerced'])
  })

  it('drops unknown keys, naming each', () => {
    const result = ok(call('read', { path: 'a', encoding: 'utf8', verbose: true }))
    expect(result.input).toEqual({ path: 'a' })
    expect(result.repairs).toEqual([
      expect.objectContaining({ kind: 'dropped_unknown_key', field: 'encoding' }),
      expect.objectContaining({ kind: 'dropped_unknown_key', field: 'verbose' }),
    ])
    expect(result.repairs[0]?.detail).toBe(
      'encoding: not an accepted argument (arguments: path, offset, limit) → dropped',
    )
  })

  it('applies several repairs to one call', () => {
    const result = ok(
      call(
        'ReadFile',
        '```json\n{"arguments": {"path": "a", "offset": "3", "limit": null, "x": 1,}}\n```',
      ),
    )
    expect(result.tool.name).toBe('read')
    expect(result.input).toEqual({ path: 'a', offset: 3 })
    expect(kinds(result)).toEqual([
      'tool_name',
      'lenient_json',
      'unwrapped',
      'coerced',
      'null_omitted',
      'dropped_unknown_key',
    ])
  })
})

describe('prepareToolCall: what cannot be repaired', () => {
  it('lists each invalid field with what was expected and what came, and the repairs tried', () => {
    const result = failed(
      call('edit', { old_string: { text: 'x' }, new_string: 'y', replace_all: 'maybe', extra: 1 }),
    )
    expect(result.error).toBe(
      [
        'Invalid arguments for edit:',
        '- path: required, missing',
        '- old_string: expected a string, got an object with keys text',
        '- replace_all: expected true or false, got a string ("maybe")',
        'Repairs tried: extra: not an accepted argument ' +
          '(arguments: path, old_string, new_string, replace_all) → dropped.',
      ].join('\n'),
    )
    expect(kinds(result)).toEqual(['dropped_unknown_key'])
  })

  it('points from a missing field to the misnamed key the model sent', () => {
    // Not another agent's vocabulary (that is renamed): misspellings, which are not guessed.
    const result = failed(call('edit', { the_path: 'a', old_strng: 'x', new_string: 'y' }))
    expect(result.error).toContain(
      '- path: required, missing (you sent "the_path"; the argument is named "path")',
    )
    expect(result.error).toContain(
      '- old_string: required, missing (you sent "old_strng"; the argument is named "old_string")',
    )
  })

  it('describes ranges and non-empty strings', () => {
    const result = failed(call('bash', { command: '', timeout_ms: 700000 }))
    expect(result.error).toBe(
      'Invalid arguments for bash:\n' +
        '- command: expected a non-empty string, got an empty string\n' +
        '- timeout_ms: expected an integer from 1 to 600000, got a number (700000)',
    )
  })

  it('says so when the arguments are not an object at all', () => {
    expect(failed(call('read', '[1, 2]')).error).toBe(
      'Invalid arguments for read:\n- (arguments): expected an object, got an array of 2 items',
    )
    expect(failed(call('read', '"a.ts"')).error).toContain(
      '- (arguments): expected an object, got a string ("a.ts")',
    )
  })

  it('never throws: odd text, deep nesting, a schema that throws', () => {
    const odd = ['{', '{"path":', 'null', '42', '\u0000', '[[[[', '['.repeat(5000), '{"a": 1e999}']
    for (const text of odd) {
      const result = call('read', text)
      expect(result.ok, text.slice(0, 20)).toBe(false)
    }
    const boom = testTool(
      'boom',
      z
        .object({ x: z.string() })
        .strict()
        .refine(() => {
          throw new Error('refinement exploded')
        }),
    )
    const result = failed(call('boom', { x: 'y' }, [boom]))
    expect(result.error).toBe('Could not check the arguments of boom: refinement exploded')
  })
})

/** A small deterministic generator (mulberry32), so the property test is reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
