/**
 * One piece of split content. `retract` says that the text already given as `text` parts (all of
 * it, `text` here) was reasoning after all: a chat template pre-filled `<think>`, so the content
 * began inside the reasoning and the first tag the stream shows is a lone `</think>`. The caller
 * moves that text from the answer to the reasoning (it was shown live as text: nothing can
 * un-show it, but the record is right).
 */
export type ThinkPart = { kind: 'text' | 'reasoning' | 'retract'; text: string }

const OPEN = '<think>'
const CLOSE = '</think>'

/**
 * Splits streamed content into answer and reasoning for models that inline their reasoning as
 * `<think>…</think>` (DeepSeek-R1 and Qwen3 distills through many gateways). Tags may arrive split
 * across chunks, so a possible tag prefix at the end of a chunk is held back until the next one.
 *
 * A template that pre-fills `<think>` leaves content that starts with reasoning and a lone
 * `</think>`: text before the first `</think>` is reasoning when no `<think>` came before it (see
 * {@link ThinkPart}). Until then the text streams as text, so an ordinary answer is never held.
 * An answer may mention the tag, so a lone `</think>` counts only where a template puts it: at
 * the start or the end of a line (what follows on its line is only whitespace), outside inline
 * code and ``` fences; and never once reasoning arrived in a field of its own (the server split
 * it already: {@link ThinkSplitter.reasoningInField}).
 */
export class ThinkSplitter {
  private inThink = false
  private pending = ''
  /** Only a leading block counts: once the answer has begun, `<think>` is ordinary text. */
  private sawText = false
  /** A lone `</think>` may still turn the text so far into reasoning. */
  private leadOpen = true
  /** The text given so far while {@link leadOpen}. */
  private lead = ''
  /** Just after a `</think>`: whitespace before the answer is dropped, in whichever chunk. */
  private afterClose = false
  /** While {@link leadOpen}: inside a ``` fence, inside inline code, only spaces on the line. */
  private fence = false
  private tick = false
  private lineBlank = true
  /** Backticks in a row not yet resolved (a fence or inline code), and whether they began a line. */
  private ticks = 0
  private ticksAtLineStart = false

  /**
   * Reasoning came in a field of its own (`reasoning_content`, `reasoning`): a `</think>` in the
   * content is then text the model wrote, not the end of a pre-filled block.
   */
  reasoningInField(): void {
    this.leadOpen = false
    this.lead = ''
  }

  push(chunk: string): ThinkPart[] {
    const out: ThinkPart[] = []
    let buf = this.pending + chunk
    this.pending = ''
    while (buf.length > 0) {
      if (this.inThink) {
        const end = buf.indexOf(CLOSE)
        if (end >= 0) {
          if (end > 0) out.push({ kind: 'reasoning', text: buf.slice(0, end) })
          buf = buf.slice(end + CLOSE.length)
          this.inThink = false
          this.afterClose = true
          continue
        }
        const keep = partialSuffix(buf, CLOSE)
        if (buf.length - keep > 0)
          out.push({ kind: 'reasoning', text: buf.slice(0, buf.length - keep) })
        this.pending = buf.slice(buf.length - keep)
        return out
      }
      if (!this.sawText) {
        const trimmed = buf.replace(/^\s+/, '')
        if (trimmed.startsWith(OPEN)) {
          this.inThink = true
          this.leadOpen = false
          buf = trimmed.slice(OPEN.length)
          continue
        }
        if (OPEN.startsWith(trimmed) || (this.leadOpen && CLOSE.startsWith(trimmed))) {
          // Could still become a tag (or is only whitespace so far).
          this.pending = buf
          return out
        }
      }
      if (this.afterClose) {
        buf = buf.replace(/^\s+/, '')
        if (!buf) return out
        this.afterClose = false
      }
      this.sawText = true
      if (this.leadOpen) {
        buf = this.pushLead(buf, out)
        continue
      }
      out.push({ kind: 'text', text: buf })
      return out
    }
    return out
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): ThinkPart[] {
    const rest = this.pending
    this.pending = ''
    if (!rest || (this.afterClose && !rest.trim())) return []
    if (this.leadOpen && rest.startsWith(CLOSE) && !rest.slice(CLOSE.length).trim()) {
      // A lone `</think>` that ends the content: everything before it was reasoning.
      this.leadOpen = false
      const out: ThinkPart[] = [{ kind: 'retract', text: this.lead }]
      this.lead = ''
      return out
    }
    return [{ kind: this.inThink ? 'reasoning' : 'text', text: rest }]
  }

  /**
   * Text while a lone `</think>` may still come: scan for the first tag that counts (see the class
   * comment). `</think>` first makes everything before it reasoning; `<think>` first means this is
   * an ordinary answer that mentions the tags. A tag, or what follows a `</think>` on its line, cut
   * off at the end of the chunk is held back. Returns what is left to split after the tag (or ''
   * when the chunk is used up).
   */
  private pushLead(buf: string, out: ThinkPart[]): string {
    let from = 0
    const emit = (to: number): void => {
      const text = buf.slice(from, to)
      if (text) {
        out.push({ kind: 'text', text })
        this.lead += text
      }
      from = to
    }
    const hold = (at: number): string => {
      emit(at)
      this.pending = buf.slice(at)
      return ''
    }
    for (let i = 0; i < buf.length; i++) {
      const ch = buf[i]!
      if (ch === '`') {
        if (this.ticks === 0) this.ticksAtLineStart = this.lineBlank
        this.ticks += 1
        this.lineBlank = false
        continue
      }
      if (this.ticks > 0) {
        if (this.ticks >= 3 && this.ticksAtLineStart) {
          this.fence = !this.fence
          this.tick = false
        } else if (!this.fence) this.tick = !this.tick
        this.ticks = 0
      }
      if (ch === '\n') {
        this.lineBlank = true
        this.tick = false
        continue
      }
      if (ch === '<' && !this.fence && !this.tick) {
        const rest = buf.slice(i, i + CLOSE.length)
        if (rest.length < CLOSE.length && (CLOSE.startsWith(rest) || OPEN.startsWith(rest)))
          return hold(i)
        if (rest.startsWith(OPEN)) {
          this.leadOpen = false
          this.lead = ''
          out.push({ kind: 'text', text: buf.slice(from) })
          return ''
        }
        if (rest === CLOSE) {
          const after = buf.slice(i + CLOSE.length)
          const lineEnd = /^[ \t\r]*(\n|$)/.exec(after)
          if (this.lineBlank || (lineEnd && lineEnd[1] === '\n'))
            return this.close(buf, from, i, out)
          // Only spaces so far after it: whether its line ends here is in the next chunk.
          if (lineEnd) return hold(i)
          i += CLOSE.length - 1
        }
      }
      if (ch !== ' ' && ch !== '\t' && ch !== '\r') this.lineBlank = false
    }
    emit(buf.length)
    return ''
  }

  /** A lone `</think>` at `at` that counts: the text so far was reasoning. */
  private close(buf: string, from: number, at: number, out: ThinkPart[]): string {
    out.push({ kind: 'retract', text: this.lead })
    const before = buf.slice(from, at)
    if (before.trim() || (this.lead && before)) out.push({ kind: 'reasoning', text: before })
    this.leadOpen = false
    this.lead = ''
    this.afterClose = true
    return buf.slice(at + CLOSE.length)
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (tag.startsWith(s.slice(s.length - n))) return n
  }
  return 0
}
