/** Tokens of a shell command line, as produced by `shell-lexer.ts`. */

export interface Substitution {
  kind: 'command' | 'backtick' | 'process'
  /** Source of the inner command list (backslash escapes of backticks already removed). */
  source: string
}

export interface Word {
  /** Quote-removed text, expansions kept as written. */
  value: string
  /** Offsets into the lexed source: [start, end). */
  start: number
  end: number
  /** Some quoting or escaping was present: reserved words and `{`/`}` only count when false. */
  quoted: boolean
  /** Length of the leading part of `value` that came from plain unquoted text (for `NAME=`). */
  plainPrefix: number
  /**
   * The run-time value is unknown: a parameter, substitution or arithmetic expansion, or a glob
   * or brace pattern outside quotes.
   */
  dynamic: boolean
  subs: Substitution[]
}

export type Operator = '&&' | '||' | ';' | ';;' | ';&' | ';;&' | '|' | '|&' | '&' | '\n' | '(' | ')'

export interface OpToken {
  type: 'op'
  op: Operator
  start: number
  end: number
}

export interface Redirect {
  type: 'redir'
  /** Explicit file descriptor as written (`2` in `2>`), or ''. */
  fd: string
  op: string
  target: Word
  start: number
  end: number
  /** Substitutions in a here-document body (only when its delimiter is unquoted). */
  bodySubs: Substitution[]
}

export type Token = { type: 'word'; word: Word } | OpToken | Redirect
