import { SET_ASIDE_KEYS, SET_ASIDE_MORE_KEYS } from './integration'
import type { Mark, Piece } from './marks'
import type { Terminal } from './terminal'

/**
 * Before the agent types at its shell's prompt: undo whatever the user left in the line editor
 * there (the agent's terminal is theirs too). In bash and zsh, a completion question is answered
 * "n", bash's `--More--` list is quit, and then the set-aside keys (integration.ts) put an
 * unfinished line into the history, print a line saying so, and send the R mark back: the proof
 * that the line editor is at an empty line. Other shells get the line cleared.
 */

/** Programs that only show text: quitting them with q loses nothing. */
const PAGERS = new Set(['less', 'more', 'most', 'pg', 'man'])
/** How long the shell gets to answer the set-aside keys before the next try (ms). */
const ROUND_TRIP_MS = 1_000
/** After the R mark, how long the prompt's redraw may take to arrive (ms). */
const REDRAW_MS = 300
/** The line editor's questions, answered "n": bash's (readline) and zsh's, as they end. */
const QUESTIONS = [/\(y or n\)$/, /possibilities \(\d+ lines\)\?$/]
/** Tries: look at the screen, answer what it shows, send the set-aside keys. */
const TRIES = 3

/** The pager the user left in the foreground of the shell, if that is what runs there. */
export function pagerInForeground(terminal: Terminal): string | null {
  const name = terminal.foreground()
  return name !== null && PAGERS.has(name) ? name : null
}

/** Bring the line editor to an empty line at the prompt, keeping what the user typed there. */
export async function clearLine(terminal: Terminal, signal: AbortSignal): Promise<void> {
  if (!terminal.userTyped) return
  const family = terminal.family
  if (family !== 'bash' && family !== 'zsh') {
    terminal.write(terminal.family === 'pwsh' ? '\x1b' : '\x05\x15')
    return
  }
  const marks = new MarkWatch(terminal, signal)
  try {
    for (let attempt = 0; attempt < TRIES && !signal.aborted; attempt++) {
      await terminal.whenParsed()
      const line = terminal.screen.cursorLine().trimEnd()
      if (QUESTIONS.some((q) => q.test(line))) terminal.write('n')
      else if (/--More--$/.test(line)) terminal.write('q')
      // Something else reads single keys (a search, an argument): readline's abort ends it (zsh's
      // Ctrl-G would drop the line).
      else if (attempt > 0 && family === 'bash') terminal.write('\x07')
      const more = terminal.inContinuation
      marks.skip()
      terminal.write(more ? SET_ASIDE_MORE_KEYS : SET_ASIDE_KEYS)
      const answer = await marks.next('line-set-aside', ROUND_TRIP_MS)
      if (answer?.kind !== 'line-set-aside') continue
      if (more) {
        // The rest of the unfinished command (its earlier lines are in the history): Ctrl-C drops
        // it once the function is done, and the agent types at the fresh prompt (keys typed
        // ahead of it would be lost).
        await marks.next('continuation', REDRAW_MS)
        terminal.write('\x03')
        await marks.next('prompt-end', ROUND_TRIP_MS)
      } else if (answer.chars > 0) {
        // A notice was printed: the prompt is drawn again below it.
        await marks.next('prompt-end', REDRAW_MS)
      }
      return
    }
    // No answer: clear the line as a shell without the set-aside keys would.
    terminal.write('\x05\x15')
  } finally {
    marks.dispose()
  }
}

/** The marks the shell prints from its creation on, read in order (none is missed in between). */
class MarkWatch {
  private readonly seen: Mark[] = []
  private wake: (() => void) | null = null
  private readonly off: () => void

  constructor(
    terminal: Terminal,
    private readonly signal: AbortSignal,
  ) {
    this.off = terminal.onOutput((piece: Piece) => {
      if (!('mark' in piece)) return
      this.seen.push(piece.mark)
      this.wake?.()
    })
  }

  /** Forget the marks seen so far. */
  skip(): void {
    this.seen.length = 0
  }

  /** The next mark of `kind` (those before it are dropped), or null after `ms` or on abort. */
  async next(kind: Mark['kind'], ms: number): Promise<Mark | null> {
    const deadline = Date.now() + ms
    for (;;) {
      while (this.seen.length > 0) {
        const mark = this.seen.shift()!
        if (mark.kind === kind) return mark
      }
      const left = deadline - Date.now()
      if (left <= 0 || this.signal.aborted) return null
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer)
          this.signal.removeEventListener('abort', done)
          this.wake = null
          resolve()
        }
        const timer = setTimeout(done, left)
        this.signal.addEventListener('abort', done, { once: true })
        this.wake = done
      })
    }
  }

  dispose(): void {
    this.off()
    this.wake?.()
  }
}
