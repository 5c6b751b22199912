import { SET_ASIDE_KEYS } from './integration'
import type { Piece } from './marks'
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
  for (let attempt = 0; attempt < TRIES && !signal.aborted; attempt++) {
    await terminal.whenParsed()
    const line = terminal.screen.cursorLine().trimEnd()
    if (QUESTIONS.some((q) => q.test(line))) terminal.write('n')
    else if (/--More--$/.test(line)) terminal.write('q')
    // Something else reads single keys (a search, an argument): readline's abort ends it (zsh's
    // Ctrl-G would drop the line).
    else if (attempt > 0 && family === 'bash') terminal.write('\x07')
    const answered = setAsideAnswer(terminal, signal)
    terminal.write(SET_ASIDE_KEYS)
    if (await answered) return
  }
  // No answer: clear the line as a shell without the set-aside keys would.
  terminal.write('\x05\x15')
}

/** Resolves true once the R mark came (and, after a notice, the prompt was redrawn, or a moment passed). */
function setAsideAnswer(terminal: Terminal, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false
    let timer = setTimeout(() => done(false), ROUND_TRIP_MS)
    const off = terminal.onOutput((piece: Piece) => {
      if (!('mark' in piece)) return
      if (piece.mark.kind === 'line-set-aside' && !answered) {
        answered = true
        // An empty line: nothing was printed, so nothing needs redrawing.
        if (piece.mark.chars === 0) return done(true)
        clearTimeout(timer)
        timer = setTimeout(() => done(true), REDRAW_MS)
      } else if (piece.mark.kind === 'prompt-end' && answered) done(true)
    })
    const onAbort = (): void => done(answered)
    signal.addEventListener('abort', onAbort, { once: true })
    function done(ok: boolean): void {
      clearTimeout(timer)
      off()
      signal.removeEventListener('abort', onAbort)
      resolve(ok)
    }
  })
}
