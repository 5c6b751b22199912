import { useState } from 'react'
import type { JSX } from 'react'
import type { Session } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** Where the user writes to the agent. (First version; the composer feature grows it.) */
export function Composer({ session }: { session: Session }): JSX.Element {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const send = (): void => {
    if (!text.trim()) return
    getClient()
      .call('session.prompt', { sessionId: session.id, text })
      .then(
        () => setText(''),
        (err: unknown) => setError(errorMessage(err)),
      )
  }
  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault()
        send()
      }}
    >
      <textarea aria-label="Message" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="btn">
        Send
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  )
}
