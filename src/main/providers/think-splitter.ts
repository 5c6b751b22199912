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
    return [{ kind: this.inThink ? 'reasoning' : 'text', text: rest }]
  }

  /**
   * Text while a lone `</think>` may still come: look for the first tag. `</think>` first makes
   * everything before it reasoning; `<think>` first means this is an ordinary answer that mentions
   * the tags. Returns what is left to split after the tag (or '' when the chunk is used up).
   */
  private pushLead(buf: string, out: ThinkPart[]): string {
    const close = buf.indexOf(CLOSE)
    const open = buf.indexOf(OPEN)
    if (close >= 0 && (open < 0 || close < open)) {
      out.push({ kind: 'retract', text: this.lead })
      const before = buf.slice(0, close)
      if (before.trim() || (this.lead && before)) out.push({ kind: 'reasoning', text: before })
      this.leadOpen = false
      this.lead = ''
      this.afterClose = true
      return buf.slice(close + CLOSE.length)
    }
    if (open >= 0) {
      this.leadOpen = false
      this.lead = ''
      out.push({ kind: 'text', text: buf })
      return ''
    }
    const keep = Math.max(partialSuffix(buf, CLOSE), partialSuffix(buf, OPEN))
    const text = buf.slice(0, buf.length - keep)
    if (text) {
      out.push({ kind: 'text', text })
      this.lead += text
    }
    this.pending = buf.slice(buf.length - keep)
    return ''
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (tag.startsWith(s.slice(s.length - n))) return n
  }
  return 0
}
