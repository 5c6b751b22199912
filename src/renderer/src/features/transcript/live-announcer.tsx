import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import { entryFeed } from '../../app/entry-feed'
import { announcementFor } from './announce'

/**
 * A polite live region: a short summary when the agent's message completes or its run stops, for
 * people who do not watch the text stream in.
 */
export function LiveAnnouncer({ sessionId }: { sessionId: string }): JSX.Element {
  const [said, setSaid] = useState({ text: '', n: 0 })
  useEffect(
    () =>
      entryFeed.subscribe(sessionId, (entries) => {
        const texts = entries.map(announcementFor).filter((t): t is string => t !== null)
        if (texts.length === 0) return
        // The same words twice in a row are still news: vary the text so it is read again.
        setSaid((s) => ({ text: texts.join('. '), n: s.n + 1 }))
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
