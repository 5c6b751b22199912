import { isWithin } from '../core/within'

/** What a session's sandbox lets through, for reading a failure as the sandbox's doing. */
export interface Confinement {
  /** Folders writes may go to. */
  writable: string[]
  /** Paths that look empty or missing inside. */
  hidden: string[]
  network: boolean
}

/** A failure the sandbox caused: what was refused. */
export interface Blocked {
  kind: 'write' | 'read' | 'network'
  /** The path or host refused (or a general description). */
  what: string
}

const DENIED = /Read-only file system|EROFS|Permission denied|EACCES|Operation not permitted|EPERM/i
const MISSING = /No such file or directory|ENOENT/
const NETWORK =
  /Connection refused|ECONNREFUSED|Network is unreachable|ENETUNREACH|Could not resolve host|Temporary failure in name resolution|EAI_AGAIN|getaddrinfo/i
const PATH = /(?:^|[\s'"`(:=])(\/[^\s'"`:,)]*)/g

function paths(line: string): string[] {
  return [...line.matchAll(PATH)].map((m) => m[1]!).filter((p) => p.length > 1)
}

/**
 * Whether a failed command's output shows the sandbox refusing it: a write denied on a path
 * outside the writable folders, a hidden path read, or (network off) a connection that could not
 * be made. Read from the output's lines (tools word these errors alike: the errno's text and the
 * path on one line); null when nothing points at the sandbox.
 */
export function detectBlocked(output: string, c: Confinement): Blocked | null {
  for (const line of output.split('\n')) {
    if (DENIED.test(line)) {
      const outside = paths(line).find(
        (p) => !p.startsWith('/dev/') && !c.writable.some((w) => isWithin(w, p)),
      )
      if (outside) return { kind: 'write', what: outside }
    }
    if (MISSING.test(line)) {
      const hidden = paths(line).find((p) => c.hidden.some((h) => isWithin(h, p)))
      if (hidden) return { kind: 'read', what: hidden }
    }
    if (!c.network && NETWORK.test(line)) {
      const host =
        /resolve host:?\s*([\w.-]+)/i.exec(line)?.[1] ??
        /(?:connect to|getaddrinfo \w+)\s+([\w.:-]+)/i.exec(line)?.[1] ??
        /((?:\d{1,3}\.){3}\d{1,3}(?::\d+)?)/.exec(line)?.[1]
      return { kind: 'network', what: host ? `a connection to ${host}` : 'a network connection' }
    }
  }
  return null
}

/** The note the model reads, first in the result, so it stops retrying. */
export function blockedNote(b: Blocked): string {
  const what =
    b.kind === 'write'
      ? `writing ${b.what} (outside this session's folder)`
      : b.kind === 'read'
        ? `reading ${b.what} (hidden from the agent)`
        : `${b.what} (the network is off for this workspace)`
  return `Blocked by the sandbox: ${what}. Do not retry it another way; say what you needed, and the user can run the command outside the sandbox.`
}
