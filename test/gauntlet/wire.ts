import type { ReplyTurn } from '../support/fake-llm'
import type { Chunker, Scenario } from './types'

/**
 * The pieces of an OpenAI-compatible chat completion stream, as vLLM, SGLang, Ollama, LM Studio
 * and the gateways in front of them send it: each function returns the body of one `data:` event
 * (the fake fills in `id`, `object`, `created` and `model`). Scenarios put them together into a
 * `rawChunks` turn, so the stream is exactly what the quirk needs and nothing more.
 */

export type Delta = Record<string, unknown>

/** A chunk with one choice: its delta and finish reason. */
export function chunk(delta: Delta, finish: string | null = null): object {
  return { choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }
}

/** The first chunk of an answer: the role, empty content. */
export function open(): object {
  return chunk({ role: 'assistant', content: '' })
}

/** The last chunk: an empty delta with the finish reason. */
export function end(reason: string): object {
  return chunk({}, reason)
}

/** Content text, one chunk per piece. */
export function say(c: Chunker, text: string): object[] {
  return c(text).map((piece) => chunk({ content: piece }))
}

/** Reasoning text in the given delta field, one chunk per piece. */
export function think(
  c: Chunker,
  text: string,
  field: 'reasoning_content' | 'reasoning' = 'reasoning_content',
): object[] {
  return c(text).map((piece) => chunk({ [field]: piece }))
}

export interface WireCall {
  /** Omitted from the header when `null` (a server that sends no id). */
  id: string | null
  name: string
  /** The arguments text exactly as the model wrote it. */
  args: string
  index?: number
}

/** The header delta of a call: index, id, type, name and empty arguments. */
export function header(call: WireCall): Delta {
  return {
    ...(call.index === undefined ? {} : { index: call.index }),
    ...(call.id === null ? {} : { id: call.id }),
    type: 'function',
    function: { name: call.name, arguments: '' },
  }
}

/** Argument fragments of a call, each its own delta (`index` and `function.arguments` only). */
export function fragments(c: Chunker, call: WireCall): Delta[] {
  return c(call.args).map((piece) => ({
    ...(call.index === undefined ? {} : { index: call.index }),
    function: { arguments: piece },
  }))
}

/** A call as OpenAI streams it: the header, then its arguments in fragments. */
export function callChunks(c: Chunker, call: WireCall): object[] {
  return [header(call), ...fragments(c, call)].map((d) => chunk({ tool_calls: [d] }))
}

/** A whole turn of text that ends with `finish` (`stop` by default). */
export function textTurn(c: Chunker, text: string, finish = 'stop'): ReplyTurn {
  return { rawChunks: [open(), ...say(c, text), end(finish)] }
}

/** A whole turn of well-formed structured calls (the quirk lives in a name or the arguments). */
export function callTurn(
  c: Chunker,
  calls: Array<Omit<WireCall, 'index' | 'id'> & { id?: string | null }>,
  finish = 'tool_calls',
): ReplyTurn {
  const chunks = calls.flatMap((call, index) =>
    callChunks(c, { ...call, id: call.id === undefined ? `call_g${index}` : call.id, index }),
  )
  return { rawChunks: [chunk({ role: 'assistant', content: null }), ...chunks, end(finish)] }
}

/** The final answer every scenario ends with. */
export const DONE: ReplyTurn = { text: 'done' }

/**
 * The table row most scenarios are: one call, quirky in its name or arguments, then "done". A
 * group fixes what all its rows share (a strict server, checks of what the model was told); a row
 * may add checks of its own.
 */
export function oneCallRows(
  group: Scenario['group'],
  shared: Pick<Scenario, 'strict' | 'told'> = {},
): (
  id: string,
  why: string,
  name: string,
  args: string,
  seed: Record<string, string>,
  files: Scenario['files'],
  told?: Scenario['told'],
) => Scenario {
  return (id, why, name, args, seed, files, told = []) => ({
    id,
    group,
    why,
    seed,
    files,
    ...(shared.strict ? { strict: shared.strict } : {}),
    told: [...(shared.told ?? []), ...told],
    turns: (c) => [callTurn(c, [{ name, args }]), DONE],
  })
}

/** JSON text as Python's `json.dumps` writes it (`", "` and `": "`), as most servers re-serialize. */
export function json(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(json).join(', ')}]`
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${json(v)}`)
    return `{${fields.join(', ')}}`
  }
  return JSON.stringify(value)
}

/** The gauntlet's own chunking: each string in three pieces (the fake's default for arguments). */
export const THIRDS: Chunker = (text) => {
  if (text === '') return []
  const step = Math.max(1, Math.ceil(text.length / 3))
  const out: string[] = []
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step))
  return out
}

/** mulberry32: a small seeded generator, so a stress failure can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Cuts every string into pieces of random sizes from 1 to `max` characters, never splitting a
 * UTF-16 surrogate pair (a server sends whole code points). Same seed, same cuts.
 */
export function randomChunker(seed: number, max: number): Chunker {
  const random = seededRandom(seed)
  return (text) => {
    const out: string[] = []
    let i = 0
    while (i < text.length) {
      let size = 1 + Math.floor(random() * max)
      let j = Math.min(text.length, i + size)
      const code = text.charCodeAt(j - 1)
      if (j < text.length && code >= 0xd800 && code <= 0xdbff) j += 1
      size = j - i
      out.push(text.slice(i, i + size))
      i = j
    }
    return out
  }
}
