import { payloadOf } from '../../../../shared/entries'
import type { Entry } from '../../../../shared/model'
import { compactionHeadline } from '../context/compaction-view'
import { stopAnnouncement } from './format'

/** What to say about an appended entry, if anything: never per token, only when something ends. */
export function announcementFor(entry: Entry): string | null {
  const reply = payloadOf(entry, 'assistant_message')
  if (reply) {
    if (reply.partial) return null
    return reply.content.trim() ? 'Agent replied' : null
  }
  const compaction = payloadOf(entry, 'compaction')
  if (compaction) return compactionHeadline(compaction)
  const end = payloadOf(entry, 'turn_end')
  if (end) return stopAnnouncement(end.reason, end.message ?? null)
  return null
}
