import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ReplyTurn } from './types'

/** Faults and pacing a reply turn can ask for, applied while its events are written. */
type Delivery = Pick<ReplyTurn, 'cut' | 'malformed' | 'hang' | 'delayMs'>

/** An SSE event whose data is not JSON: an object cut off in the middle. */
const MALFORMED_EVENT = 'data: {"id":"chatcmpl-fake","object":"chat.completion.chunk","choi\n\n'

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

/**
 * Writes and waits until the data is handed to the socket, so that a cut right after it still
 * delivers everything written before the cut.
 */
function write(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) resolve()
    else res.write(data, () => resolve())
  })
}

function malformedAfter(turn: Delivery): number | null {
  if (turn.malformed === undefined || turn.malformed === false) return null
  return turn.malformed === true ? 1 : turn.malformed.after
}

/**
 * Streams `chunks` as `data:` events followed by `data: [DONE]`, applying the turn's faults:
 * `malformed` inserts a non-JSON event, `cut` stops after that many events (the malformed one
 * counts), `hang` stops after the first event (or `hang.after` events) until the client goes away.
 */
export async function streamEvents(
  req: IncomingMessage,
  res: ServerResponse,
  chunks: object[],
  turn: Delivery,
  headers: Record<string, string>,
): Promise<void> {
  const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
  const badAt = malformedAfter(turn)
  if (badAt !== null) events.splice(Math.min(badAt, events.length), 0, MALFORMED_EVENT)
  events.push('data: [DONE]\n\n')

  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  const gone = closed(res)
  for (const [i, event] of events.entries()) {
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
    await write(res, event)
  }
  res.end()
}

/** The non-streamed answer, with the same faults: cut mid-body, malformed body, or no answer. */
export async function sendCompletion(
  req: IncomingMessage,
  res: ServerResponse,
  completion: object,
  turn: Delivery,
  headers: Record<string, string>,
): Promise<void> {
  const body = turn.malformed ? MALFORMED_EVENT.slice('data: '.length) : JSON.stringify(completion)
  if (turn.hang) {
    await closed(res)
    return
  }
  if (turn.delayMs) await sleep(turn.delayMs)
  res.writeHead(200, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  })
  if (turn.cut) {
    await write(res, body.slice(0, Math.floor(body.length / 2)))
    req.socket.destroy()
    return
  }
  res.end(body)
}
