import type { Entry } from '../../../../shared/model'
import { stopAnnouncement } from './format'
import { parseEntry } from './payloads'

/** What to say about an appended entry, if anything: never per token, only when something ends. */
export function announcementFor(entry: Entry): string | null {
  const p = parseEntry(entry)
  if (p.type === 'assistant_message') {
    if (p.payload.partial) return null
    return p.payload.content.trim() ? 'Agent replied' : null
  }
  if (p.type === 'turn_end') return stopAnnouncement(p.payload.reason, p.payload.message ?? null)
  return null
}
