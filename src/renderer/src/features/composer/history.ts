/**
 * Prompt history of one session, newest last, as a shell keeps it: Up at the first line recalls
 * older prompts, Down at the last line walks back to newer ones and finally to the draft that was
 * being written when the walk began. Pure: the composer keeps the state, storage persists it.
 */

/** Most prompts kept per session; the oldest go first. */
export const HISTORY_LIMIT = 100

/** Where a walk through the history stands: `index` into the entries, null while editing. */
export interface HistoryCursor {
  index: number | null
  /** The text that was in the box when the walk began, given back at the newest end. */
  draft: string
}

export const IDLE_CURSOR: HistoryCursor = { index: null, draft: '' }

/** The history with `text` added as the newest entry (blank text and a repeat of the newest are not). */
export function remember(
  entries: readonly string[],
  text: string,
  limit: number = HISTORY_LIMIT,
): string[] {
  if (text.trim() === '') return [...entries]
  const next = entries[entries.length - 1] === text ? [...entries] : [...entries, text]
  return next.length > limit ? next.slice(next.length - limit) : next
}

/**
 * One step through the history: `older` (Up) or `newer` (Down) from `cursor`, with `current` the
 * text in the box now. Returns the new cursor and the text to show, or null when there is nowhere
 * to go (the box keeps its text and the key does what it would do anyway).
 */
export function step(
  entries: readonly string[],
  cursor: HistoryCursor,
  direction: 'older' | 'newer',
  current: string,
): { cursor: HistoryCursor; text: string } | null {
  if (direction === 'older') {
    if (cursor.index === null) {
      if (entries.length === 0) return null
      const index = entries.length - 1
      return { cursor: { index, draft: current }, text: entries[index]! }
    }
    if (cursor.index <= 0) return null
    const index = Math.min(cursor.index, entries.length) - 1
    return { cursor: { index, draft: cursor.draft }, text: entries[index]! }
  }
  if (cursor.index === null) return null
  if (cursor.index < entries.length - 1) {
    const index = cursor.index + 1
    return { cursor: { index, draft: cursor.draft }, text: entries[index]! }
  }
  return { cursor: { index: null, draft: '' }, text: cursor.draft }
}

/** The caret is on the text's first line (Up recalls instead of moving the caret). */
export function onFirstLine(text: string, caret: number): boolean {
  return !text.slice(0, caret).includes('\n')
}

/** The caret is on the text's last line (Down recalls instead of moving the caret). */
export function onLastLine(text: string, caret: number): boolean {
  return !text.slice(caret).includes('\n')
}
