import WebSocket from 'ws'

/** A raw contract socket to a running web host: frames in, frames out, no client logic. */
export interface RawSocket {
  ws: WebSocket
  /** Frames received so far, parsed. */
  frames: Array<Record<string, unknown>>
  /** Resolves when `count` frames in all have arrived. */
  received(count: number): Promise<void>
  /** One `host.info` call; resolves with the time to its answer in ms. */
  hostInfo(): Promise<number>
  /** Resolves with the close code when the host closes the socket. */
  closed: Promise<number>
}

let nextId = 1

export function openRawSocket(host: {
  port: number
  token: string
  origin: string
}): Promise<RawSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
    origin: host.origin,
    maxPayload: 64 * 1024 * 1024,
  })
  const frames: Array<Record<string, unknown>> = []
  const waiters: Array<{ count: number; done: () => void }> = []
  const answers = new Map<number, () => void>()
  ws.on('message', (data: Buffer) => {
    const frame = JSON.parse(data.toString('utf8')) as Record<string, unknown>
    frames.push(frame)
    if (frame.kind === 'result' && typeof frame.id === 'number') answers.get(frame.id)?.()
    for (const w of [...waiters]) {
      if (frames.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1)
        w.done()
      }
    }
  })
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    ws.once('error', reject)
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        closed,
        received: (count) =>
          frames.length >= count
            ? Promise.resolve()
            : new Promise((done) => waiters.push({ count, done })),
        hostInfo: () =>
          new Promise((done) => {
            // Ids from a million up: callers number their own calls below that.
            const id = 1_000_000 + nextId++
            const start = performance.now()
            answers.set(id, () => {
              answers.delete(id)
              done(performance.now() - start)
            })
            ws.send(JSON.stringify({ kind: 'call', id, method: 'host.info', params: {} }))
          }),
      }),
    )
  })
}
