/** The longest title taken from a prompt, in characters (before the "…" that marks a cut). */
export const PROMPT_TITLE_MAX_CHARS = 60

/** The name a session gets when it is created without one: "Session 3". */
export const DEFAULT_TITLE = /^Session (\d{1,9})$/

/**
 * A session's title from a prompt: its words on one line, cut at a word before
 * `PROMPT_TITLE_MAX_CHARS` (marked "…"); null when the prompt has no words.
 */
export function titleFromPrompt(prompt: string): string | null {
  const text = prompt.replace(/\s+/g, ' ').trim()
  if (!text) return null
  if (text.length <= PROMPT_TITLE_MAX_CHARS) return text
  const cut = text.slice(0, PROMPT_TITLE_MAX_CHARS)
  const space = cut.lastIndexOf(' ')
  return `${(space > PROMPT_TITLE_MAX_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`
}
