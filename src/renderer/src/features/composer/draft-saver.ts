import { saveDraft } from './composer-storage'

/**
 * Drafts reach storage at most `DRAFT_SAVE_DELAY_MS` after a key press instead of on every one (a
 * long draft is serialised whole each time), and at once when the page goes away, so a reload or
 * a closed tab keeps what was typed. An empty draft — a sent message, a cleared box — is removed
 * at once.
 */

/** Longest a typed draft waits before it is written, in ms (however fast the typing goes). */
export const DRAFT_SAVE_DELAY_MS = 300

const pending = new Map<string, string>()
let timer: ReturnType<typeof setTimeout> | null = null

/** Write every draft still waiting. */
export function flushDrafts(): void {
  if (timer !== null) clearTimeout(timer)
  timer = null
  for (const [sessionId, text] of pending) saveDraft(sessionId, text)
  pending.clear()
}

/** Keep the session's draft: soon, or now when it is empty. */
export function scheduleDraftSave(sessionId: string, text: string): void {
  if (text === '') {
    pending.delete(sessionId)
    saveDraft(sessionId, '')
    return
  }
  pending.set(sessionId, text)
  if (timer === null) timer = setTimeout(flushDrafts, DRAFT_SAVE_DELAY_MS)
}

if (typeof window !== 'undefined') {
  // pagehide covers reloads, closed tabs and the back-forward cache; beforeunload older paths.
  window.addEventListener('pagehide', flushDrafts)
  window.addEventListener('beforeunload', flushDrafts)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushDrafts()
  })
}
