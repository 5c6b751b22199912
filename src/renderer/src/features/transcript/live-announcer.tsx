import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import { entryFeed } from '../../app/entry-feed'
import { announcementFor } from './announce'

/** Announcements this close together are read as one. */
const MERGE_MS = 1_000

/**
 * A polite live region: a short summary when the agent's message completes or its run stops, for
 * people who do not watch the text stream in.
 */
export function LiveAnnouncer({ sessionId }: { sessionId: string }): JSX.Element {
  const [said, setSaid] = useState({ text: '', n: 0 })
  const last = useRef(0)
  useEffect(
    () =>
      entryFeed.subscribe(sessionId, (entries) => {
        const texts = entries.map(announcementFor).filter((t): t is string => t !== null)
        if (texts.length === 0) return
        // News arriving within a moment of the last (the reply, then its run's end) is added to
        // it, not put in its place before a screen reader had the time to read it.
        const now = Date.now()
        const joins = now - last.current < MERGE_MS
        last.current = now
        // The same words twice in a row are still news: vary the text so it is read again.
        setSaid((s) => ({
          text: joins && s.text ? `${s.text}. ${texts.join('. ')}` : texts.join('. '),
          n: s.n + 1,
        }))
      }),
    [sessionId],
  )
  return (
    <div className="transcript-sr-only" aria-live="polite" aria-atomic="true">
      {said.text}
      {said.n % 2 === 1 ? '\u00a0' : ''}
    </div>
  )
}
