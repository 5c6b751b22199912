import type { IncomingMessage, ServerResponse } from 'node:http'
import { anthropicError } from './anthropic-errors'
import type { AnthropicEvent } from './anthropic-reply'
import type { ReplyTurn } from './types'

/** Faults and pacing a reply turn can ask for, applied while its events are written. */
type Delivery = Pick<ReplyTurn, 'cut' | 'malformed' | 'hang' | 'delayMs' | 'streamError'>

/** An SSE event whose data is not JSON: an object cut off in the middle. */
const MALFORMED_EVENT =
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"del\n\n'

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Resolves once the connection is gone, whoever closed it. */
function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.socket?.destroyed !== false) resolve()
    else res.once('close', () => resolve())
  })
}

/** Writes and waits until the data is handed to the socket, so a cut right after still delivers. */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) resolve()
    else res.write(data, () => resolve())
  })
}

function frame(e: AnthropicEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`
}

/** The frames to send, with the malformed event and the mid-stream error spliced in. */
function plan(events: AnthropicEvent[], turn: Delivery): string[] {
  const frames = events.map(frame)
  if (turn.malformed !== undefined && turn.malformed !== false) {
    const at = turn.malformed === true ? 1 : turn.malformed.after
    frames.splice(Math.min(at, frames.length), 0, MALFORMED_EVENT)
  }
  if (turn.streamError) {
    const { after, type = 'overloaded_error', message = 'Overloaded' } = turn.streamError
    const error = `event: error\ndata: ${JSON.stringify(anthropicError(type, message))}\n\n`
    frames.splice(Math.min(after, frames.length), frames.length, error)
  }
  return frames
}

/**
 * Streams Anthropic `event:` / `data:` frames (no `[DONE]`: `message_stop` ends a message),
 * applying the turn's faults as the OpenAI path does: `malformed` inserts a non-JSON event,
 * `streamError` replaces the rest with an `event: error`, `cut` stops after that many events,
 * `hang` stops after the first event (or `hang.after` events) until the client goes away.
 */
export async function streamAnthropicEvents(
  req: IncomingMessage,
  res: ServerResponse,
  events: AnthropicEvent[],
  turn: Delivery,
  headers: Record<string, string>,
): Promise<void> {
  const frames = plan(events, turn)
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  const gone = closed(res)
  for (const [i, data] of frames.entries()) {
    if (turn.cut && i >= turn.cut.after) {
      if (turn.cut.clean) res.end()
      else req.socket.destroy()
      return
    }
    if (turn.hang && i >= (turn.hang === true ? 1 : turn.hang.after)) {
      await gone
      return
    }
    if (i > 0 && turn.delayMs) await sleep(turn.delayMs)
    if (res.destroyed) return
    await write(res, data)
  }
  res.end()
}
