import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const AUTH_COOKIE = 'paddock_auth'

/** Constant-time comparison of two secrets. */
export function secretEquals(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export function authCookieHeader(value: string): string {
  return `${AUTH_COOKIE}=${encodeURIComponent(value)}; HttpOnly; SameSite=Strict; Path=/`
}

/** Origins a page served by this host can have (the socket refuses every other one). */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`]
}

/**
 * Whether a request's `Host` names this host: 127.0.0.1 or localhost with the bound port. Anything
 * else (another name pointed at 127.0.0.1, as a DNS-rebinding page does, or another port) is
 * refused. `[::1]` is refused too: the host listens on 127.0.0.1 only.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (host === undefined) return false
  const given = host.toLowerCase()
  return given === `127.0.0.1:${port}` || given === `localhost:${port}`
}
