/**
 * Splits streamed content into answer and reasoning for models that inline their reasoning as
 * `<think>…</think>` (DeepSeek-R1 and Qwen3 distills through many gateways). Tags may arrive split
 * across chunks, so a possible tag prefix at the end of a chunk is held back until the next one.
 */
export class ThinkSplitter {
  private inThink = false
  private pending = ''
  /** Only a leading block counts: once the answer has begun, `<think>` is ordinary text. */
  private sawText = false

  push(chunk: string): Array<{ kind: 'text' | 'reasoning'; text: string }> {
    const out: Array<{ kind: 'text' | 'reasoning'; text: string }> = []
    let buf = this.pending + chunk
    this.pending = ''
    while (buf.length > 0) {
      if (this.inThink) {
        const end = buf.indexOf('</think>')
        if (end >= 0) {
          if (end > 0) out.push({ kind: 'reasoning', text: buf.slice(0, end) })
          buf = buf.slice(end + '</think>'.length).replace(/^\s+/, '')
          this.inThink = false
          continue
        }
        const keep = partialSuffix(buf, '</think>')
        if (buf.length - keep > 0)
          out.push({ kind: 'reasoning', text: buf.slice(0, buf.length - keep) })
        this.pending = buf.slice(buf.length - keep)
        return out
      }
      if (!this.sawText) {
        const trimmed = buf.replace(/^\s+/, '')
        if (trimmed.startsWith('<think>')) {
          this.inThink = true
          buf = trimmed.slice('<think>'.length)
          continue
        }
        if ('<think>'.startsWith(trimmed)) {
          // Could still become a <think> tag (or is only whitespace so far).
          this.pending = buf
          return out
        }
      }
      this.sawText = true
      out.push({ kind: 'text', text: buf })
      return out
    }
    return out
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): Array<{ kind: 'text' | 'reasoning'; text: string }> {
    const rest = this.pending
    this.pending = ''
    if (!rest) return []
    return [{ kind: this.inThink ? 'reasoning' : 'text', text: rest }]
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (tag.startsWith(s.slice(s.length - n))) return n
  }
  return 0
}
