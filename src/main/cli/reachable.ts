import { connect } from 'node:net'

/** How long the check waits for a loopback server to accept (a refusal is immediate). */
const CONNECT_TIMEOUT_MS = 3000

/** Whether `hostname` (as `URL` gives it) names this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

/**
 * Before a run starts (and creates a session): a model server on this machine that refuses the
 * connection is not running, and waiting will not start it. Throws then, naming the address.
 * Anything else (a remote host, a timeout, a bad address) is left to the run to report.
 */
export async function assertListening(baseUrl: string): Promise<void> {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return
  }
  if (!isLoopbackHost(url.hostname)) return
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: CONNECT_TIMEOUT_MS })
    const done = (value: boolean): void => {
      socket.destroy()
      resolve(value)
    }
    socket.once('connect', () => done(false))
    socket.once('timeout', () => done(false))
    socket.once('error', (err: NodeJS.ErrnoException) => done(refusedError(err)))
  })
  if (refused) throw new Error(`Nothing is listening at ${url.origin} — is the server running?`)
}

/** A refusal, also when every address of the name refused (an AggregateError). */
function refusedError(err: NodeJS.ErrnoException): boolean {
  if (err.code === 'ECONNREFUSED') return true
  const inner = (err as { errors?: unknown }).errors
  return (
    Array.isArray(inner) &&
    inner.length > 0 &&
    inner.every((e) => (e as NodeJS.ErrnoException).code === 'ECONNREFUSED')
  )
}
