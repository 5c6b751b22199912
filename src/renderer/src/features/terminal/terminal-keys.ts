/**
 * The keys a terminal keeps from its shell, and its clipboard. Ctrl/Cmd+F opens the search box,
 * Ctrl/Cmd+Shift+C copies the selection, Ctrl/Cmd+Shift+V pastes (the browser's own paste event,
 * which xterm takes), a right click copies the selection or else pastes.
 *
 * Escape, then Tab or Shift+Tab, leaves the terminal — the browser moves the focus — so the keyboard
 * is never trapped in it. A running program gets its Escape at once (vim needs it); at the shell's
 * prompt the Escape waits a moment for the next key, so that leaving does not leave the shell's line
 * editor holding half a Meta key (it would eat the first key typed on return).
 */

/** How long an Escape at the shell's prompt waits for a Tab that would leave the terminal (ms). */
export const ESCAPE_HOLD_MS = 400

/** What a key press means to the terminal (see {@link decideKey}). */
export type KeyAction =
  /** xterm handles it (it reaches the shell). */
  | 'pass'
  /** The Escape goes to the program now, and a Tab right after it leaves the terminal. */
  | 'escape'
  /** At the prompt: hold the Escape back until the next key or ESCAPE_HOLD_MS. */
  | 'hold-escape'
  /** Tab after Escape: let the browser move the focus out. */
  | 'leave'
  | 'find'
  | 'copy'
  /** Let the browser paste (its paste event feeds xterm). */
  | 'native-paste'

export interface KeyLike {
  type: string
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

export interface KeyContext {
  /** The shell sits at its prompt (nothing runs in it). */
  atPrompt: boolean
  /** The previous key was an Escape (sent or held). */
  afterEscape: boolean
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta'])

export function isModifierKey(key: string): boolean {
  return MODIFIERS.has(key)
}

export function decideKey(e: KeyLike, ctx: KeyContext): KeyAction {
  if (e.type !== 'keydown') return 'pass'
  const plain = !e.ctrlKey && !e.metaKey && !e.altKey
  if (e.key === 'Tab' && plain && ctx.afterEscape) return 'leave'
  if (e.key === 'Escape' && plain && !e.shiftKey) return ctx.atPrompt ? 'hold-escape' : 'escape'
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey
  const key = e.key.toLowerCase()
  if (mod && !e.shiftKey && key === 'f') return 'find'
  if (mod && e.shiftKey && key === 'c') return 'copy'
  if (mod && e.shiftKey && key === 'v') return 'native-paste'
  return 'pass'
}

/** The part of xterm the keys work on. */
export interface KeyTarget {
  getSelection(): string
  hasSelection(): boolean
  clearSelection(): void
  paste(text: string): void
}

export interface TerminalKeysOptions {
  term: KeyTarget
  /** Raw input for the shell (the held Escape). */
  send(data: string): void
  onFind(): void
  onProblem(message: string): void
}

/** The state behind {@link decideKey} for one terminal, and what its actions do. */
export class TerminalKeys {
  /** The shell sits at its prompt; kept current by the terminal's state. */
  atPrompt = false
  private escapeSent = false
  private held: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: TerminalKeysOptions) {}

  /** For xterm's custom key handler: false keeps the key from xterm. */
  handle(e: KeyboardEvent): boolean {
    const action = decideKey(e, {
      atPrompt: this.atPrompt,
      afterEscape: this.escapeSent || this.held !== null,
    })
    if (e.type === 'keydown' && !isModifierKey(e.key)) this.escapeSent = false
    switch (action) {
      case 'leave':
        this.drop()
        return false
      case 'escape':
        this.flush()
        this.escapeSent = true
        return true
      case 'hold-escape':
        this.flush()
        this.held = setTimeout(() => this.flush(), ESCAPE_HOLD_MS)
        return false
      case 'find':
        e.preventDefault()
        this.opts.onFind()
        return false
      case 'copy':
        e.preventDefault()
        this.copy()
        return false
      case 'native-paste':
        return false
      case 'pass':
        return true
    }
  }

  /** Send a held Escape now: call before any other input goes to the shell. */
  flush(): void {
    if (this.held === null) return
    this.drop()
    this.opts.send('\x1b')
  }

  /** Right click: copy the selection when there is one, else paste. */
  readonly onContextMenu = (e: MouseEvent): void => {
    e.preventDefault()
    if (this.opts.term.hasSelection()) {
      this.copy()
      this.opts.term.clearSelection()
      return
    }
    navigator.clipboard
      .readText()
      .then((text) => {
        if (text !== '') this.opts.term.paste(text)
      })
      .catch((err: unknown) => this.opts.onProblem(`Could not paste: ${messageOf(err)}`))
  }

  dispose(): void {
    this.drop()
  }

  private drop(): void {
    if (this.held !== null) clearTimeout(this.held)
    this.held = null
  }

  private copy(): void {
    const text = this.opts.term.getSelection()
    if (text === '') return
    navigator.clipboard
      .writeText(text)
      .catch((err: unknown) => this.opts.onProblem(`Could not copy: ${messageOf(err)}`))
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err)
}
