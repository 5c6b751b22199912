import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { RawData, WebSocket } from 'ws'
import { ClientFrameSchema } from '../../shared/wire'
import type { HostFrame } from '../../shared/wire'
import { MAX_REQUEST_BYTES } from '../../shared/contract'
import { newSecret } from '../core/ids'
import { rateLimitedLog } from '../core/log-limit'
import type { Logger } from '../core/logger'
import type { Engine } from '../host/engine'
import {
  AUTH_COOKIE,
  allowedOrigins,
  authCookieHeader,
  hostAllowed,
  readCookie,
  secretEquals,
} from './auth'
import { setSecurityHeaders } from './security-headers'
import { serveStatic } from './static-files'

export interface WebHostOptions {
  engine: Engine
  logger: Logger
  /** Folder of the built renderer (index.html + assets). */
  rendererDir: string
  /** 0 picks a free port. */
  port: number
  /** The URL token; random when not given. */
  token?: string
  /** Secret of the auth cookie; random (valid for this process only) when not given. */
  cookieSecret?: string
}

export interface WebHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Frames larger than this close the socket outright; below it, oversized requests get a typed error. */
const MAX_FRAME_BYTES = 8 * MAX_REQUEST_BYTES
/** Open connections (pages, assets, sockets) at once; more are closed as they arrive. */
export const MAX_CONNECTIONS = 64

/**
 * The engine behind a token on 127.0.0.1: serves the renderer and the contract over a WebSocket.
 * The token in the printed URL is exchanged once for an HttpOnly, SameSite=Strict cookie and dropped
 * from the address bar; every page, asset and socket needs that cookie (or the token) or gets 401.
 * A `Host` other than 127.0.0.1 or localhost with the bound port gets 421, before anything else, and
 * an `Origin` other than this host's gets 403 (pages and socket alike); at most 64 connections are
 * open at once. Refusals are logged at most 10 lines a second.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { engine, logger } = options
  const token = options.token ?? newSecret()
  // The cookie carries its own secret, so the URL token never has to be stored by the browser.
  const cookieSecret = options.cookieSecret ?? newSecret()
  let port = options.port
  const refused = rateLimitedLog(logger, { summary: 'web requests refused, not logged' })

  const authorized = (req: IncomingMessage): boolean =>
    secretEquals(readCookie(req, AUTH_COOKIE), cookieSecret)

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch((err: unknown) => {
      logger.log('error', 'web host request failed', { error: String(err) })
      if (!res.headersSent) res.statusCode = 500
      res.end()
    })
  })

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res)
    if (!hostAllowed(req.headers.host, port)) {
      refused.log('warn', 'web request refused', { status: 421, host: req.headers.host })
      res.statusCode = 421
      res.setHeader('Cache-Control', 'no-store')
      res.end()
      return
    }
    // A request another site's page makes says so in Origin: refused whatever it carries.
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins(port).includes(origin)) {
      refused.log('warn', 'web request refused', { status: 403, origin })
      res.statusCode = 403
      res.setHeader('Cache-Control', 'no-store')
      res.end()
      return
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const given = url.searchParams.get('token')
    if (
      given !== null &&
      secretEquals(given, token) &&
      (req.method === 'GET' || req.method === 'HEAD')
    ) {
      // Always the root: a path such as `//evil.example/` would be read as another site.
      res.statusCode = 303
      res.setHeader('Set-Cookie', authCookieHeader(cookieSecret))
      res.setHeader('Location', '/')
      res.setHeader('Cache-Control', 'no-store')
      res.end()
      return
    }
    if (!authorized(req)) {
      unauthorized(res)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405
      res.end()
      return
    }
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      res.statusCode = 400
      res.end()
      return
    }
    await serveStatic(options.rendererDir, path, res)
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!hostAllowed(req.headers.host, port)) {
      refused.log('warn', 'web request refused', { status: 421, host: req.headers.host })
      return reject(421, 'Misdirected Request')
    }
    if (url.pathname !== '/ws') return reject(404, 'Not Found')
    const tokenOk = secretEquals(url.searchParams.get('token'), token)
    if (!authorized(req) && !tokenOk) {
      refused.log('warn', 'web request refused', {
        status: 401,
        reason: 'socket without credentials',
      })
      return reject(401, 'Unauthorized')
    }
    const origin = req.headers.origin
    if (origin !== undefined && !allowedOrigins(port).includes(origin)) {
      refused.log('warn', 'web request refused', { status: 403, origin })
      return reject(403, 'Forbidden')
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws))
  })

  let sockets = 0
  function serveSocket(ws: WebSocket): void {
    let unsubscribe: (() => void) | null = null
    // Ties this socket's calls to its subscription (terminal output goes to the attaching socket).
    const client = `ws-${++sockets}`
    const send = (frame: HostFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
    }
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const raw = isBinary ? '' : rawToString(data)
      const bytes = Buffer.byteLength(raw)
      let frameJson: unknown
      try {
        frameJson = JSON.parse(raw)
      } catch {
        send({
          kind: 'error',
          error: { code: 'invalid_params', message: 'Frame is not JSON text.' },
        })
        return
      }
      const frame = ClientFrameSchema.safeParse(frameJson)
      if (!frame.success) {
        send({ kind: 'error', error: { code: 'invalid_params', message: 'Unknown frame.' } })
        return
      }
      if (frame.data.kind === 'call') {
        const { id, method, params } = frame.data
        void engine
          .call(method, params, { transport: 'websocket', bytes, client })
          .then((outcome) => {
            send({ kind: 'result', id, ...outcome })
          })
        return
      }
      unsubscribe?.()
      const sub = engine.subscribe(frame.data.since, (event) => send({ kind: 'event', event }), {
        id: client,
      })
      unsubscribe = sub.dispose
      for (const event of sub.replay) send({ kind: 'event', event })
      send({ kind: 'replayed' })
    })
    ws.on('close', () => unsubscribe?.())
    ws.on('error', (err) => logger.log('warn', 'socket error', { error: String(err) }))
  }

  server.maxConnections = MAX_CONNECTIONS
  server.on('drop', () => {
    refused.log('warn', 'web request refused', {
      reason: `more than ${MAX_CONNECTIONS} connections at once`,
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject)
      // Before any request is read: the Host check compares with it.
      port = (server.address() as AddressInfo).port
      resolve()
    })
  })
  const url = `http://127.0.0.1:${port}/?token=${token}`

  return {
    url,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.close(1001, 'host shutting down')
        wss.close()
        server.close(() => resolve())
        server.closeAllConnections()
        refused.flush()
      }),
  }
}

function unauthorized(res: ServerResponse): void {
  res.statusCode = 401
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end('Unauthorized: open the address the Paddock web host printed (it carries ?token=…).\n')
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  return data.toString('utf8')
}
