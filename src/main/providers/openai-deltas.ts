import { callIndexFor, mergeName } from './openai-quirks'
import type { PartialCall, QuirkNote } from './openai-quirks'

/**
 * Assembles streamed tool calls from `delta.tool_calls`, absorbing the ways gateways bend the
 * format at the delta level, each recorded as a {@link QuirkNote}:
 *
 * - parallel calls that share one `index` (often 0) but carry their own ids: a new id starts a new
 *   call, whatever the index says (otherwise `read` + `bash` fuse into `readbash`); without ids, a
 *   different name after the call's arguments already form complete JSON does too;
 * - `arguments` sent as a JSON object instead of a string: its JSON text is used;
 * - arguments re-sent in full: a delta that arrives after a call's arguments already form complete
 *   JSON, and equals them, is dropped (otherwise the call splits into two and runs twice);
 * - cumulative deltas (each delta the whole text so far): a delta that starts with everything so far
 *   replaces the buffer.
 *
 * Both argument readings are kept side by side, so nothing is guessed mid-stream: at the end the
 * plain concatenation is used when it parses (the standard format), else the cumulative reading
 * when any delta repeated what came before.
 */

/** One element of a chunk's `delta.tool_calls`, as loosely as servers send it. */
export interface ToolCallDelta {
  index?: number | null
  id?: string | null
  function?: { name?: string | null; arguments?: unknown } | null
}

/** One call being assembled, with both readings of its arguments. */
interface Assembly {
  call: PartialCall
  /** Every delta appended (what the standard format means). */
  raw: string
  /** Each delta that starts with everything so far replaces it; others are appended. */
  cumulative: string
  /** Deltas that repeated (and extended) the arguments so far. */
  repeats: number
  /** Deltas dropped because they re-sent the complete arguments. */
  resent: number
  /** The arguments came as a JSON object. */
  objectArguments: boolean
}

export class ToolCallAssembler {
  private readonly parts: Assembly[] = []
  /** Wire index → the position of the call that index currently stands for. */
  private readonly slots = new Map<number, number>()
  /** Calls started by a new id on an index another call already held. */
  private sharedIndex = 0
  private finished: PartialCall[] | null = null

  constructor(private readonly notes: QuirkNote[]) {}

  /**
   * Feed one delta. Returns the position of the call it belongs to (the index events and the UI
   * use) and the argument text it added, for live display.
   */
  push(delta: ToolCallDelta): { index: number; argumentsDelta: string } {
    const index = this.route(delta)
    const part = (this.parts[index] ??= {
      call: { id: '', name: '', arguments: '' },
      raw: '',
      cumulative: '',
      repeats: 0,
      resent: 0,
      objectArguments: false,
    })
    if (delta.id) part.call.id = delta.id
    part.call.name = mergeName(part.call.name, delta.function?.name)
    const args = delta.function?.arguments
    let text = ''
    if (typeof args === 'string') text = args
    else if (typeof args === 'object' && args !== null) {
      text = JSON.stringify(args)
      part.objectArguments = true
    }
    return { index, argumentsDelta: this.addArguments(part, text) }
  }

  /** The calls, each with the reading of its arguments that holds; notes recorded once. */
  calls(): PartialCall[] {
    if (this.finished) return this.finished
    if (this.sharedIndex > 0) {
      this.notes.push({
        kind: 'shared_index',
        detail: `${this.sharedIndex} parallel tool call(s) came on an index another call already used; each new id (or new name after complete arguments) started a new call`,
      })
    }
    this.finished = this.parts.map((p) => {
      const label = p.call.name || `tool call ${p.call.id || '(no id)'}`
      let args = p.raw
      if (!isCompleteJson(p.raw) && p.repeats > 0) {
        args = p.cumulative
        this.notes.push({
          kind: 'cumulative_arguments',
          detail: `${label}: the arguments came as cumulative deltas (each the whole text so far); used the last`,
        })
      }
      if (p.resent > 0) {
        this.notes.push({
          kind: 'resent_arguments',
          detail: `${label}: the complete arguments were sent again after they had been streamed; the repeat was dropped`,
        })
      }
      if (p.objectArguments) {
        this.notes.push({
          kind: 'object_arguments',
          detail: `${label}: the arguments came as a JSON object instead of a string; used its JSON text`,
        })
      }
      return { id: p.call.id, name: p.call.name, arguments: args }
    })
    return this.finished
  }

  /** Which call a delta belongs to; see the file comment. */
  private route(delta: ToolCallDelta): number {
    if (typeof delta.index !== 'number') {
      // Servers that omit the index entirely are followed by id and name (openai-quirks.ts).
      return callIndexFor(
        {
          id: delta.id ?? null,
          function: { name: delta.function?.name ?? null, arguments: null },
        },
        this.parts.map((p) => p.call),
        this.notes,
      )
    }
    const at = this.slots.get(delta.index)
    if (at === undefined) {
      const fresh = this.parts.length
      this.slots.set(delta.index, fresh)
      return fresh
    }
    const current = this.parts[at]!.call
    const name = delta.function?.name
    // A different id, or (without ids) a different name once this call's arguments are complete
    // JSON: neither can continue the call that holds the index.
    const newId = Boolean(delta.id && current.id && delta.id !== current.id)
    const newName = Boolean(
      !delta.id &&
      name &&
      current.name &&
      name !== current.name &&
      isCompleteJson(current.arguments),
    )
    if (newId || newName) {
      const fresh = this.parts.length
      this.slots.set(delta.index, fresh)
      this.sharedIndex += 1
      return fresh
    }
    return at
  }

  /** Apply one argument delta to both readings; returns the text it added, for display. */
  private addArguments(part: Assembly, text: string): string {
    if (!text) return ''
    if (part.raw && sameJson(part.raw, text)) {
      part.resent += 1
      return ''
    }
    part.raw += text
    part.call.arguments = part.raw
    const before = part.cumulative
    if (before && text.startsWith(before)) {
      part.cumulative = text
      if (text.length > before.length) part.repeats += 1
      return text.slice(before.length)
    }
    part.cumulative += text
    return text
  }
}

/**
 * True when `text` is complete JSON. Checked only when it can be (it ends in `}` or `]`), so a
 * long argument streamed in many pieces is not re-parsed at every piece.
 */
export function isCompleteJson(text: string): boolean {
  const end = text.trimEnd().at(-1)
  if (end !== '}' && end !== ']') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** `done` is complete JSON and `again` is the same text or the same value. */
function sameJson(done: string, again: string): boolean {
  if (!isCompleteJson(done)) return false
  if (done === again) return true
  if (!isCompleteJson(again)) return false
  return canonical(JSON.parse(done)) === canonical(JSON.parse(again))
}

/** JSON text with object keys sorted, for comparing values. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}
