import { z } from 'zod'
import { ModeSchema } from '../../../../shared/contract'
import { readStored, writeStored } from '../../lib/storage'
import { HISTORY_LIMIT } from './history'

/**
 * What the composer keeps per session in this browser: the unsent draft, the prompt history and
 * the mode. Read back through zod: storage may hold another version's data or anything at all.
 */

export type Mode = z.infer<typeof ModeSchema>

const key = (what: 'draft' | 'history' | 'mode', sessionId: string): string =>
  `paddock.composer.${what}.${sessionId}`

/**
 * Longest draft kept in storage (a paste larger than this still sends; it is just not kept, and
 * an older, shorter draft is not kept in its place either).
 */
const MAX_STORED_DRAFT = 100_000

export function loadDraft(sessionId: string): string {
  const parsed = z.string().safeParse(readStored(key('draft', sessionId)))
  return parsed.success ? parsed.data : ''
}

export function saveDraft(sessionId: string, text: string): void {
  if (text === '' || text.length > MAX_STORED_DRAFT) {
    try {
      localStorage.removeItem(key('draft', sessionId))
    } catch {
      // Storage may be unavailable; the draft still lives in memory.
    }
    return
  }
  writeStored(key('draft', sessionId), text)
}

export function loadHistory(sessionId: string): string[] {
  const parsed = z.array(z.string()).safeParse(readStored(key('history', sessionId)))
  return parsed.success ? parsed.data.slice(-HISTORY_LIMIT) : []
}

export function saveHistory(sessionId: string, entries: readonly string[]): void {
  writeStored(key('history', sessionId), entries.slice(-HISTORY_LIMIT))
}

/** The session's mode; ask (the engine's default) until the user picks another. */
export function loadMode(sessionId: string): Mode {
  const parsed = ModeSchema.safeParse(readStored(key('mode', sessionId)))
  return parsed.success ? parsed.data : 'ask'
}

export function saveMode(sessionId: string, mode: Mode): void {
  writeStored(key('mode', sessionId), mode)
}
