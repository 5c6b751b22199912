/**
 * Builders of `rawChunks` (see {@link ReplyTurn.rawChunks}) for the ways real gateways bend the
 * streaming format. Each returns a whole stream: a role chunk, then reasoning and text deltas when
 * asked for, then the tool call deltas in the quirky form, then the finish chunk. The fake fills in
 * each chunk's `id`, `object`, `created` and `model` and appends the usage chunk and `[DONE]`.
 *
 * ```ts
 * fake.script({ rawChunks: resentArgumentChunks([{ name: 'bash', arguments: { command: 'ls' } }]) })
 * fake.script({ rawChunks: toolCallChunks([call], { finish: null }) }) // no finish_reason
 * ```
 */
import type { ReplyTurn } from './types'

/** A call for the builders; `arguments` given as an object is sent as its JSON text. */
export interface QuirkCall {
  /** Default: `call_q<n>`, n counted over every call built in this process (unique across turns). */
  id?: string
  name: string
  arguments: string | object
}

export interface QuirkStreamOptions {
  /** `delta.content` before the calls, one chunk per piece. */
  text?: string | string[]
  /** Reasoning deltas before everything else, one chunk per piece. */
  reasoning?: string | string[]
  /** The field reasoning goes in. Default `reasoning_content`. */
  reasoningField?: 'reasoning_content' | 'reasoning'
  /**
   * The finish chunk's `finish_reason`; `null` sends no finish chunk at all. Default:
   * `tool_calls` when there are calls, else `stop`.
   */
  finish?: 'stop' | 'tool_calls' | 'length' | 'content_filter' | null
  /** Argument fragments per call. Default 3 (fewer when the arguments are shorter). */
  pieces?: number
}

/** What a turn's `rawChunks` takes: one object per `data:` event. */
export type RawChunks = NonNullable<ReplyTurn['rawChunks']>

let nextId = 0

interface Resolved {
  id: string
  name: string
  arguments: string
}

function resolve(calls: QuirkCall[]): Resolved[] {
  return calls.map((c) => ({
    id: c.id ?? `call_q${++nextId}`,
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }))
}

function piecesOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return typeof value === 'string' ? [value] : value
}

/** `text` in `n` pieces (about equal; never an empty piece). */
function split(text: string, n = 3): string[] {
  if (text === '') return []
  const step = Math.max(1, Math.ceil(text.length / Math.max(1, n)))
  const out: string[] = []
  for (let i = 0; i < text.length; i += step) out.push(text.slice(i, i + step))
  return out
}

/** One chunk with one choice. */
export function chunk(delta: object, finish: string | null = null): object {
  return { choices: [{ index: 0, delta, finish_reason: finish }] }
}

/** A call's first delta: index, id, type and name, with empty arguments. */
function header(call: Resolved, index: number): object {
  return { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }
}

function argumentDelta(index: number, args: unknown): object {
  return chunk({ tool_calls: [{ index, function: { arguments: args } }] })
}

/** Role, reasoning and text chunks; then `body`; then the finish chunk. */
function stream(body: object[], hasCalls: boolean, opts: QuirkStreamOptions): RawChunks {
  const text = piecesOf(opts.text)
  const field = opts.reasoningField ?? 'reasoning_content'
  const out: object[] = [
    chunk({ role: 'assistant', content: text.length || !hasCalls ? '' : null }),
  ]
  for (const piece of piecesOf(opts.reasoning)) out.push(chunk({ [field]: piece }))
  for (const piece of text) out.push(chunk({ content: piece }))
  out.push(...body)
  const finish = opts.finish === undefined ? (hasCalls ? 'tool_calls' : 'stop') : opts.finish
  if (finish !== null) out.push(chunk({}, finish))
  return out
}

/** A text answer (content deltas, one per piece), e.g. with a lone `</think>` in it. */
export function contentChunks(
  text: string | string[],
  opts: Omit<QuirkStreamOptions, 'text'> = {},
): RawChunks {
  return stream([], false, { ...opts, text })
}

/** Well-formed tool call deltas (the baseline): a header, then argument fragments, per call. */
export function toolCallChunks(calls: QuirkCall[], opts: QuirkStreamOptions = {}): RawChunks {
  const body = resolve(calls).flatMap((c, i) => [
    chunk({ tool_calls: [header(c, i)] }),
    ...split(c.arguments, opts.pieces).map((part) => argumentDelta(i, part)),
  ])
  return stream(body, calls.length > 0, opts)
}

/** Cumulative deltas: each argument delta carries the whole text so far. */
export function cumulativeArgumentChunks(
  calls: QuirkCall[],
  opts: QuirkStreamOptions = {},
): RawChunks {
  const body = resolve(calls).flatMap((c, i) => {
    let sofar = ''
    return [
      chunk({ tool_calls: [header(c, i)] }),
      ...split(c.arguments, opts.pieces).map((part) => argumentDelta(i, (sofar += part))),
    ]
  })
  return stream(body, calls.length > 0, opts)
}

/** Arguments streamed in fragments, then the complete string sent again in one more delta. */
export function resentArgumentChunks(calls: QuirkCall[], opts: QuirkStreamOptions = {}): RawChunks {
  const body = resolve(calls).flatMap((c, i) => [
    chunk({ tool_calls: [header(c, i)] }),
    ...split(c.arguments, opts.pieces).map((part) => argumentDelta(i, part)),
    argumentDelta(i, c.arguments),
  ])
  return stream(body, calls.length > 0, opts)
}

/**
 * Parallel calls that all say `index: 0`, each with its own id: the id is on the header only, the
 * argument fragments carry just the index (as the gateways that do this send it).
 */
export function sharedIndexChunks(calls: QuirkCall[], opts: QuirkStreamOptions = {}): RawChunks {
  const body = resolve(calls).flatMap((c) => [
    chunk({ tool_calls: [header(c, 0)] }),
    ...split(c.arguments, opts.pieces).map((part) => argumentDelta(0, part)),
  ])
  return stream(body, calls.length > 0, opts)
}

/**
 * Each call in one delta whose `function.arguments` is a JSON object, not a string (Ollama-style
 * gateways). String arguments are parsed first, so they must be JSON.
 */
export function objectArgumentChunks(
  calls: QuirkCall[],
  opts: Omit<QuirkStreamOptions, 'pieces'> = {},
): RawChunks {
  const body = calls.map((c, i) => {
    const [r] = resolve([c])
    const args: unknown = typeof c.arguments === 'string' ? JSON.parse(c.arguments) : c.arguments
    return chunk({
      tool_calls: [
        { index: i, id: r!.id, type: 'function', function: { name: c.name, arguments: args } },
      ],
    })
  })
  return stream(body, calls.length > 0, opts)
}

/**
 * The same stream with no `finish_reason` anywhere: chunks that only carried it are dropped, the
 * others get `finish_reason: null`.
 */
export function withoutFinishReason(chunks: object[]): RawChunks {
  const out: object[] = []
  for (const c of chunks) {
    const choices = (c as { choices?: Array<Record<string, unknown>> }).choices
    if (!choices?.some((ch) => ch.finish_reason)) {
      out.push(c)
      continue
    }
    const kept: Array<Record<string, unknown>> = choices.map((ch) => ({
      ...ch,
      finish_reason: null,
    }))
    const empty = kept.every((ch) => !ch.delta || Object.keys(ch.delta).length === 0)
    if (!empty) out.push({ ...c, choices: kept })
  }
  return out
}
