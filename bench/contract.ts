import { ToolCallAssembler } from '../src/main/providers/openai-deltas'
import type { PartialCall, QuirkNote } from '../src/main/providers/openai-quirks'
import { finishToolCalls } from '../src/main/providers/openai-quirks'
import { prepareToolCall } from '../src/main/tools/repair'
import { builtinTools } from '../src/main/tools/registry'
import type { AnyTool } from '../src/main/tools/types'
import type { BenchLine } from './run'

/** The workspace the calls' relative paths are in (nothing is read or written there). */
const WORKSPACE = process.cwd()

/** Budget for what the repair layer adds to one tool call, in ms. */
const BUDGET_MS = 1
/** Tool calls in the stream. */
const CALLS = 1_000
/** Timed passes over the whole stream (the median counts). */
const RUNS = 15
/** The large call: a `write` of this much content, streamed in deltas of {@link DELTA} characters. */
const LARGE_BYTES = 1024 * 1024
const DELTA = 4
/** Timed passes over the large call (the median counts). */
const LARGE_RUNS = 5

/**
 * The open-model contract's cost: a stream of 1,000 tool calls, in turns of one to four, half of
 * them with the quirks open models send (trailing commas, single quotes, wrapped arguments, names
 * in another case or another agent's vocabulary, numbers as strings, null for an optional field),
 * taken through the repair layer (`finishToolCalls` for each turn as the stream ends, then
 * `prepareToolCall` for each call) and through the parse without repair (the exact tool name,
 * `JSON.parse`, the tool's zod `safeParse`) — which fails the quirky half. Printed: what the layer
 * adds per call, against its budget, and the two per-call times side by side.
 *
 * Apart from that stream (so the per-call budget stays about ordinary calls): one `write` of 1 MB
 * of code streamed in 4-character deltas through the real `ToolCallAssembler`, beside the same
 * deltas joined and parsed once — the assembler must stay linear in the arguments' size.
 */
export async function contractBench(): Promise<BenchLine[]> {
  const tools = builtinTools()
  const turns = stream(CALLS)
  const timeRepaired = (): number => {
    const used = new Set<string>()
    let ready = 0
    const start = performance.now()
    for (const turn of turns) ready += repairLayer(turn, used, tools)
    const ms = performance.now() - start
    // Every quirk in the stream is one the layer absorbs: a failing call would time the wrong path.
    if (ready !== CALLS) throw new Error(`the repair layer readied ${ready} of ${CALLS} calls`)
    return ms
  }
  const timePlain = (): number => {
    const start = performance.now()
    for (const turn of turns) for (const call of turn) plainParse(call, tools)
    return performance.now() - start
  }
  // Warm up both paths (the JIT, the tools' JSON Schemas) before timing.
  timeRepaired()
  timePlain()
  const repaired = median(Array.from({ length: RUNS }, timeRepaired)) / CALLS
  const plain = median(Array.from({ length: RUNS }, timePlain)) / CALLS
  const us = (ms: number): number => ms * 1000
  const large = largeCall()
  return [
    {
      name: `contract: time the repair layer adds per tool call (${CALLS} calls, half quirky)`,
      ours: Math.max(0, repaired - plain),
      unit: 'ms',
      budget: BUDGET_MS,
    },
    {
      name: 'contract: parse per tool call, with the repair layer',
      ours: us(repaired),
      unit: 'µs',
      peer: { name: 'JSON.parse + zod safeParse, no repair', value: us(plain) },
    },
    {
      name: `contract: a 1 MB write streamed in ${DELTA}-character deltas, through the assembler`,
      ours: large.assembled,
      unit: 'ms',
      peer: { name: 'the deltas joined, JSON.parse once', value: large.joined },
    },
  ]
}

/**
 * Time one large `write` through `ToolCallAssembler` (push every delta, then `calls()`), and the
 * floor: the same deltas joined and parsed once. Medians of {@link LARGE_RUNS} passes, in ms.
 */
function largeCall(): { assembled: number; joined: number } {
  // Code: many deltas end in a brace, which is where a re-parse of the buffer used to happen.
  const line = 'function f(a) { return { a: [a, "b\\n"] } }\n'
  const content = line.repeat(Math.ceil(LARGE_BYTES / line.length)).slice(0, LARGE_BYTES)
  const json = JSON.stringify({ path: 'src/big.ts', content })
  const deltas: string[] = []
  for (let i = 0; i < json.length; i += DELTA) deltas.push(json.slice(i, i + DELTA))
  const assemble = (): number => {
    const start = performance.now()
    const assembler = new ToolCallAssembler([])
    assembler.push({ index: 0, id: 'call_big', function: { name: 'write', arguments: '' } })
    for (const d of deltas) assembler.push({ index: 0, function: { arguments: d } })
    const [call] = assembler.calls()
    const ms = performance.now() - start
    if (call?.arguments.length !== json.length) throw new Error('the large call was misassembled')
    return ms
  }
  const join = (): number => {
    const start = performance.now()
    let text = ''
    for (const d of deltas) text += d
    JSON.parse(text)
    return performance.now() - start
  }
  assemble()
  join()
  return {
    assembled: median(Array.from({ length: LARGE_RUNS }, assemble)),
    joined: median(Array.from({ length: LARGE_RUNS }, join)),
  }
}

/**
 * The repair layer for one turn's calls as the stream assembled them: the only place this bench
 * calls it, so a change of its signatures is adapted here. Returns how many calls are ready to run.
 */
export function repairLayer(
  turn: readonly PartialCall[],
  usedIds: Set<string>,
  tools: readonly AnyTool[],
): number {
  const notes: QuirkNote[] = []
  const partials = turn.map((c) => ({ ...c }))
  // As the engine calls them: the offered tools' names for text calls, the workspace for paths.
  const toolNames = tools.map((t) => t.name)
  const { toolCalls } = finishToolCalls(partials, '', usedIds, notes, { toolNames, reasoning: '' })
  let ready = 0
  for (const call of toolCalls) {
    usedIds.add(call.id)
    if (prepareToolCall(call.name, call.arguments, tools, { workspaceRoot: WORKSPACE }).ok)
      ready += 1
  }
  return ready
}

/** The parse without repair: the exact name, strict JSON, the tool's own schema. */
function plainParse(call: PartialCall, tools: readonly AnyTool[]): boolean {
  const tool = tools.find((t) => t.name === call.name)
  if (!tool) return false
  let value: unknown
  try {
    value = JSON.parse(call.arguments)
  } catch {
    return false
  }
  return tool.schema.safeParse(value).success
}

/** Arguments as models write them: a clean call, then its quirky variants. */
const SHAPES: Array<{ clean: [string, object]; quirky: Array<[string, string]> }> = [
  {
    clean: ['read', { path: 'src/app/main.ts', offset: 10, limit: 40 }],
    quirky: [
      ['Read', '{"path": "src/app/main.ts", "offset": 10,}'],
      ['read', '{"path": "src/app/main.ts", "offset": "10", "limit": null}'],
      ['read_file', "{'path': 'src/app/main.ts'}"],
    ],
  },
  {
    clean: ['edit', { path: 'src/a.ts', old_string: 'const a = 1\n', new_string: 'const a = 2\n' }],
    quirky: [
      ['edit', '{"input": {"path": "src/a.ts", "old_string": "a", "new_string": "b"}}'],
      ['EDIT', '{"path": "src/a.ts", "old_string": "a", "new_string": "b",}'],
      [
        'edit',
        '{"arguments": "{\\"path\\": \\"src/a.ts\\", \\"old_string\\": \\"a\\", \\"new_string\\": \\"b\\"}"}',
      ],
    ],
  },
  {
    clean: ['bash', { command: 'npm test -- --run src/a.test.ts' }],
    quirky: [
      ['Bash', '{"command": "npm test", "timeout_ms": "60000"}'],
      ['run_command', '{"command": "ls -la",}'],
      ['bash', '```json\n{"command": "git status"}\n```'],
    ],
  },
  {
    clean: ['write', { path: 'notes/todo.md', content: `# Todo\n${'- item\n'.repeat(40)}` }],
    quirky: [
      ['write', '{"path": "notes/todo.md", "content": "# Todo\\n- item\\n",}'],
      ['write_file', '{"parameters": {"path": "notes/todo.md", "content": "x"}}'],
    ],
  },
  {
    clean: ['grep', { pattern: 'function\\s+load', path: 'src' }],
    quirky: [['Grep', "{'pattern': 'TODO', 'path': 'src', }"]],
  },
]

/** `count` calls in turns of one to four, every other one quirky, with the ids a server sends. */
function stream(count: number): PartialCall[][] {
  const turns: PartialCall[][] = []
  let n = 0
  while (n < count) {
    const size = Math.min(1 + (turns.length % 4), count - n)
    const turn: PartialCall[] = []
    for (let i = 0; i < size; i++, n++) {
      const shape = SHAPES[n % SHAPES.length]!
      const quirky = n % 2 === 1
      const [name, args] = quirky
        ? shape.quirky[Math.floor(n / 2) % shape.quirky.length]!
        : [shape.clean[0], JSON.stringify(shape.clean[1])]
      turn.push({ id: `call_${n}`, name, arguments: args })
    }
    turns.push(turn)
  }
  return turns
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
