import type { Database } from 'better-sqlite3'
import type { Lease } from '../../shared/model'
import { ContractError } from '../../shared/errors'

/** A lease whose heartbeat is older than this is considered abandoned, in ms. */
export const LEASE_TTL_MS = 30_000
/** How often a holder refreshes its leases, in ms. */
export const LEASE_HEARTBEAT_MS = 10_000

export interface LeaseOwner {
  pid: number
  host: string
  /** What holds it, shown to whoever is refused: "web host", "desktop app", "paddock run". */
  holder: string
  /** Unique per engine instance, so two engines in one process are still two owners. */
  token: string
}

interface LeaseRow {
  session_id: string
  pid: number
  host: string
  holder: string
  token: string
  heartbeat_at: number
}

/**
 * One process drives a session at a time. A lease row names the owner; it is taken over only when
 * its heartbeat is stale or (same machine) its process is gone.
 */
export class Leases {
  constructor(
    private readonly db: Database,
    private readonly owner: LeaseOwner,
    private readonly now: () => number,
    private readonly processAlive: (pid: number) => boolean = isProcessAlive,
  ) {}

  /** Take or refresh the lease. Throws `session_leased` naming the holder when another owns it. */
  acquire(sessionId: string, title: string): Lease {
    const run = this.db.transaction(() => {
      this.assertNotHeldByOther(sessionId, title)
      const at = this.now()
      this.db
        .prepare(
          `INSERT INTO leases (session_id, pid, host, holder, token, heartbeat_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(session_id) DO UPDATE SET pid = excluded.pid, host = excluded.host,
             holder = excluded.holder, token = excluded.token, heartbeat_at = excluded.heartbeat_at`,
        )
        .run(sessionId, this.owner.pid, this.owner.host, this.owner.holder, this.owner.token, at)
      return {
        pid: this.owner.pid,
        host: this.owner.host,
        holder: this.owner.holder,
        heartbeatAt: at,
      }
    })
    return run.immediate()
  }

  /** Throw `session_leased` if a live owner other than us holds the session. */
  assertNotHeldByOther(sessionId: string, title: string): void {
    const row = this.get(sessionId)
    if (row && row.token !== this.owner.token && this.isLive(row)) {
      throw new ContractError(
        'session_leased',
        `Session "${title}" is open in ${row.holder} (pid ${row.pid} on ${row.host}). ` +
          `Close it there first.`,
      )
    }
  }

  release(sessionId: string): void {
    this.db
      .prepare('DELETE FROM leases WHERE session_id = ? AND token = ?')
      .run(sessionId, this.owner.token)
  }

  releaseAll(): void {
    this.db.prepare('DELETE FROM leases WHERE token = ?').run(this.owner.token)
  }

  heartbeat(): void {
    this.db
      .prepare('UPDATE leases SET heartbeat_at = ? WHERE token = ?')
      .run(this.now(), this.owner.token)
  }

  private get(sessionId: string): LeaseRow | undefined {
    return this.db.prepare('SELECT * FROM leases WHERE session_id = ?').get(sessionId) as
      LeaseRow | undefined
  }

  private isLive(row: LeaseRow): boolean {
    if (this.now() - row.heartbeat_at > LEASE_TTL_MS) return false
    if (row.host === this.owner.host && !this.processAlive(row.pid)) return false
    return true
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
