import { callIndexFor, canonicalJson, mergeName, splitJsonObjects } from './openai-quirks'
import type { PartialCall, QuirkNote } from './openai-quirks'

/**
 * Assembles streamed tool calls from `delta.tool_calls`, absorbing the ways gateways bend the
 * format at the delta level, each recorded as a {@link QuirkNote}:
 *
 * - parallel calls that share one `index` (often 0) but carry their own ids: a new id starts a new
 *   call, whatever the index says (otherwise `read` + `bash` fuse into `readbash`); without ids, a
 *   different name after the call's arguments already form complete JSON does too;
 * - an id that changes mid-call (one id on the header chunk, another on the rest): a new id with
 *   no name, before the arguments are complete, continues the call (it keeps its first id);
 * - `arguments` sent as a JSON object instead of a string: its JSON text is used;
 * - arguments re-sent in full: the deltas that arrive after a call's arguments already form
 *   complete JSON are kept apart, and dropped at the end when they repeat them (in one delta or
 *   several); anything else there is appended for the splitter (openai-quirks.ts), which refuses
 *   the same object twice in a row (two readings);
 * - cumulative deltas (each delta the whole text so far): a delta that starts with everything so far
 *   replaces the buffer.
 *
 * Both argument readings are kept side by side, so nothing is guessed mid-stream: at the end the
 * plain concatenation is used when it parses (the standard format), else the cumulative reading
 * when any delta repeated what came before. Each delta costs time in its own length only (no
 * re-reading of the buffer), so a 1 MB argument in 4-character deltas stays linear.
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
  /** Every delta appended, up to where the arguments were complete (the standard format). */
  raw: string
  /** Where the first top-level value of {@link raw} stands, read as the deltas come. */
  scan: JsonScan
  /** Deltas after {@link raw} was complete JSON: a re-send, or more calls' arguments. */
  tail: string
  /** Each delta that starts with everything so far replaces it; others are appended. */
  cumulative: string
  /** Deltas that repeated (and extended) the arguments so far. */
  repeats: number
  /** The arguments came as a JSON object. */
  objectArguments: boolean
  /** Other ids the server gave this call mid-way (see {@link ToolCallAssembler.route}). */
  otherIds: Set<string>
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
      scan: newScan(),
      tail: '',
      cumulative: '',
      repeats: 0,
      objectArguments: false,
      otherIds: new Set(),
    })
    if (delta.id && !part.call.id) part.call.id = delta.id
    else if (delta.id && delta.id !== part.call.id) part.otherIds.add(delta.id)
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
      if (p.otherIds.size > 0) {
        this.notes.push({
          kind: 'unstable_id',
          detail: `${label}: the server changed the call's id mid-call (${[...p.otherIds].join(', ')}) without a new name, before its arguments were complete; kept it as one call with its first id ${p.call.id}`,
        })
      }
      if (p.scan.state !== 'complete' && p.repeats > 0) {
        args = p.cumulative
        this.notes.push({
          kind: 'cumulative_arguments',
          detail: `${label}: the arguments came as cumulative deltas (each the whole text so far); used the last`,
        })
      }
      const resent = p.tail.trim() ? resends(p.raw, p.tail) : 0
      if (resent > 0) {
        this.notes.push({
          kind: 'resent_arguments',
          detail: `${label}: the complete arguments were sent again after they had been streamed${resent > 1 ? ` (${resent} times)` : ''}; the repeat was dropped`,
        })
      } else args += p.tail
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
      const last = this.parts.at(-1)
      return callIndexFor(
        {
          id: delta.id && last && this.continues(last, delta) ? last.call.id : (delta.id ?? null),
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
    const current = this.parts[at]!
    const name = delta.function?.name
    // A different id (unless it only renames this call, see `continues`), or (without ids) a
    // different name once this call's arguments are complete JSON: neither continues the call.
    const newId = Boolean(delta.id && current.call.id && !this.continues(current, delta))
    const newName = Boolean(
      !delta.id &&
      name &&
      current.call.name &&
      name !== current.call.name &&
      current.scan.state === 'complete',
    )
    if (newId || newName) {
      const fresh = this.parts.length
      this.slots.set(delta.index, fresh)
      this.sharedIndex += 1
      return fresh
    }
    return at
  }

  /**
   * Whether a delta with an id continues `part`. Its own id does. Some servers (Poolside,
   * mlx-openai-server, foundry-local) put one id on a call's header chunk and another on the rest:
   * a different id continues the call when it brings no name and the call's arguments are not yet
   * complete JSON (a new call would name its tool, and a finished one has nothing left to add).
   */
  private continues(part: Assembly, delta: ToolCallDelta): boolean {
    if (!delta.id || delta.id === part.call.id || part.otherIds.has(delta.id)) return true
    return !delta.function?.name && !part.scan.ended
  }

  /** Apply one argument delta to both readings; returns the text it added, for display. */
  private addArguments(part: Assembly, text: string): string {
    if (!text) return ''
    if (part.scan.state === 'complete') {
      // Decided at the end (`calls`): a re-send is dropped, anything else goes to the splitter.
      part.tail += text
      return ''
    }
    part.raw += text
    part.call.arguments = part.raw
    if (scanDelta(part.scan, text) && isCompleteJson(part.raw)) part.scan.state = 'complete'
    else if (part.scan.state === 'closed') part.scan.state = 'never'
    const before = part.cumulative
    // Only a delta at least as long as everything so far can repeat it: no scan of the buffer.
    if (before && text.length >= before.length && text.startsWith(before)) {
      part.cumulative = text
      if (text.length > before.length) part.repeats += 1
      return text.slice(before.length)
    }
    part.cumulative += text
    return text
  }
}

/**
 * The first top-level JSON value of a call's arguments, followed character by character as the
 * deltas arrive, so that whether the arguments are complete is known without re-reading the
 * buffer at every delta (which made a large argument quadratic). `open`: not closed yet;
 * `closed`: its closing bracket was the last non-space character of the last delta (the buffer
 * is then parsed once to confirm); `complete`: confirmed; `never`: it cannot become complete JSON
 * (it is not an object or array, it failed to parse, or more text followed it in the same delta).
 */
interface JsonScan {
  state: 'open' | 'closed' | 'complete' | 'never'
  depth: number
  inString: boolean
  escaped: boolean
  started: boolean
  /** The first value's brackets closed at the end of a delta (even if it then failed to parse). */
  ended: boolean
}

function newScan(): JsonScan {
  return { state: 'open', depth: 0, inString: false, escaped: false, started: false, ended: false }
}

/** Advance `scan` over one delta; true when the value closed and only whitespace followed. */
function scanDelta(scan: JsonScan, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (scan.state === 'never') return false
    if (scan.state === 'closed') {
      if (!isSpace(ch)) scan.state = 'never'
      continue
    }
    if (scan.inString) {
      if (scan.escaped) scan.escaped = false
      else if (ch === BACKSLASH) scan.escaped = true
      else if (ch === QUOTE) scan.inString = false
      continue
    }
    if (!scan.started) {
      if (isSpace(ch)) continue
      if (ch !== OPEN_BRACE && ch !== OPEN_BRACKET) {
        scan.state = 'never'
        return false
      }
      scan.started = true
    }
    if (ch === QUOTE) scan.inString = true
    else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) scan.depth += 1
    else if (ch === CLOSE_BRACE || ch === CLOSE_BRACKET) {
      scan.depth -= 1
      if (scan.depth === 0) scan.state = 'closed'
    }
  }
  if (scan.state === 'closed') scan.ended = true
  return scan.state === 'closed'
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09
}

/**
 * How many times `tail` (what came after `raw` was complete) repeats `raw`, as the same text or
 * the same value; 0 when it holds anything else (then it is more arguments, for the splitter).
 */
function resends(raw: string, tail: string): number {
  const pieces = isCompleteJson(tail) ? [tail] : splitJsonObjects(tail)
  if (pieces.length === 0) return 0
  const value = canonicalJson(JSON.parse(raw))
  return pieces.every((p) => p.trim() === raw.trim() || canonicalJson(JSON.parse(p)) === value)
    ? pieces.length
    : 0
}

/**
 * True when `text` is complete JSON (an object or array). For a finished call, once: while a call
 * streams, the assembler follows its brackets instead ({@link JsonScan}).
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
