import { getClient } from '../../lib/api/client'
import { chunks, formatCount } from './prompt-size'
import { mentionToken } from './mention'

/**
 * Write `text` into a new file of the session's workspace (`sessions.attachText`, in pieces that
 * each fit a request) and return the message that takes its place: a mention of the file.
 */
export async function attachAsFile(sessionId: string, text: string): Promise<string> {
  const client = getClient()
  let path: string | undefined
  for (const piece of chunks(text)) {
    const result = await client.call('sessions.attachText', {
      sessionId,
      text: piece,
      ...(path !== undefined ? { to: path } : {}),
    })
    path = result.path
  }
  if (path === undefined) throw new Error('There is no text to attach.')
  return `Read the text I attached (${formatCount(text.length)} characters): ${mentionToken(path)}\n`
}
