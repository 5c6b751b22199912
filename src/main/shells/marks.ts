/**
 * Shell-integration marks: the rc files Paddock injects (integration.ts) make the shell print
 * `ESC ] 6973 ; <nonce> ; <kind> [; <arg>] BEL` around prompts and commands, OSC 133-style:
 *   A — a prompt starts;   B — the prompt ends, input starts;
 *   C — a command line was accepted, its output starts;   D;<exit> — the command finished;
 *   P;<path> — the shell's current folder (sent with every prompt);
 *   R;<chars> — the line being edited was set aside on request (<chars> long, 0 if empty);
 *   M — a continuation prompt (PS2): the line being typed continues an unfinished command.
 * The nonce is random per shell start, so output that merely contains a mark (a log being `cat`ed)
 * is not taken for one. Marks are removed from the stream; everything else passes through as is.
 */

export const MARK_OSC = 6973

export type Mark =
  | { kind: 'prompt-start' }
  | { kind: 'prompt-end' }
  | { kind: 'command-start' }
  | { kind: 'command-end'; exitCode: number | null }
  | { kind: 'cwd'; path: string }
  | { kind: 'line-set-aside'; chars: number }
  | { kind: 'continuation' }

export type Piece = { text: string } | { mark: Mark }

/** Longest mark kept waiting for its end across chunks (a path can be long). */
const MAX_PENDING = 8192

/** The escape sequence a shell prints for a mark (used by the integration scripts and tests). */
export function markSequence(nonce: string, body: string): string {
  return `\x1b]${MARK_OSC};${nonce};${body}\x07`
}

/**
 * Splits decoded output into text and marks. Chunks may end inside a mark; that part is held back
 * until the next chunk completes it (or it grows past MAX_PENDING and is let through as text).
 */
export class MarkParser {
  private readonly prefix: string
  private carry = ''

  constructor(nonce: string) {
    this.prefix = `\x1b]${MARK_OSC};${nonce};`
  }

  push(chunk: string): Piece[] {
    let text = this.carry + chunk
    this.carry = ''
    const pieces: Piece[] = []
    let from = 0
    for (;;) {
      const start = text.indexOf('\x1b]', from)
      if (start === -1) break
      const candidate = text.slice(start, start + this.prefix.length)
      if (!this.prefix.startsWith(candidate)) {
        from = start + 2
        continue
      }
      if (candidate.length < this.prefix.length) {
        // The chunk ends inside what may be our prefix: wait for more.
        this.carry = text.slice(start)
        text = text.slice(0, start)
        break
      }
      const end = findTerminator(text, start + this.prefix.length)
      if (end === null) {
        if (text.length - start <= MAX_PENDING) {
          this.carry = text.slice(start)
          text = text.slice(0, start)
          break
        }
        from = start + 2
        continue
      }
      if (start > 0) pieces.push({ text: text.slice(0, start) })
      const mark = parseBody(text.slice(start + this.prefix.length, end.at))
      if (mark) pieces.push({ mark })
      text = text.slice(end.at + end.length)
      from = 0
    }
    if (this.carry === '' && text.endsWith('\x1b')) {
      // A lone ESC at the end may begin a mark.
      this.carry = '\x1b'
      text = text.slice(0, -1)
    }
    if (text !== '') pieces.push({ text })
    return merge(pieces)
  }

  /** What is held back, as text (the stream ended). */
  flush(): string {
    const rest = this.carry
    this.carry = ''
    return rest
  }
}

function findTerminator(text: string, from: number): { at: number; length: number } | null {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x07) return { at: i, length: 1 }
    if (c === 0x1b) {
      if (i + 1 >= text.length) return null
      if (text[i + 1] === '\\') return { at: i, length: 2 }
      // Another escape inside: not a mark of ours after all; treat what came so far as its end.
      return { at: i, length: 0 }
    }
  }
  return null
}

function parseBody(body: string): Mark | null {
  const kind = body[0]
  const arg = body.length > 2 && body[1] === ';' ? body.slice(2) : ''
  switch (kind) {
    case 'A':
      return { kind: 'prompt-start' }
    case 'B':
      return { kind: 'prompt-end' }
    case 'C':
      return { kind: 'command-start' }
    case 'D': {
      const code = /^-?\d{1,10}$/.test(arg.trim()) ? Number(arg.trim()) : null
      return { kind: 'command-end', exitCode: code }
    }
    case 'P':
      return arg === '' ? null : { kind: 'cwd', path: arg }
    case 'M':
      return { kind: 'continuation' }
    case 'R':
      return { kind: 'line-set-aside', chars: /^\d{1,10}$/.test(arg) ? Number(arg) : 0 }
    default:
      return null
  }
}

function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = []
  for (const p of pieces) {
    const last = out[out.length - 1]
    if (last && 'text' in last && 'text' in p) last.text += p.text
    else out.push(p)
  }
  return out
}
