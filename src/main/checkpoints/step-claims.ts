import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { LockHolder } from './store'

/**
 * Who decides a step's "before" checkpoint when a run's workspace store is held by another process
 * (see `ForeignRuns`, `HeldElsewhere`): the holder, which then takes it (`holder`), or the run,
 * which gave up waiting and runs the step unprotected (`run`). A file per step, created exclusively,
 * so exactly one side wins: the holder never takes a "before" checkpoint of a step that may
 * already be running. The holder writes `failed` into its claim when it could not take it.
 */
export type StepClaim = 'holder' | 'run' | 'failed'

export class StepClaims {
  private readonly dir: string

  /**
   * The claims of one session's steps. `storeDir`: the workspace's checkpoint store (the claims
   * live in its own `paddock/` folder, a folder per session: tool call ids are unique only within
   * a session).
   */
  constructor(storeDir: string, sessionId: string) {
    this.dir = join(storeDir, 'paddock', 'steps', Buffer.from(sessionId).toString('base64url'))
  }

  /** Claim the step for `by`: false when the other side already has. Throws on I/O errors. */
  claim(toolCallId: string, by: 'holder' | 'run'): boolean {
    mkdirSync(this.dir, { recursive: true })
    try {
      writeFileSync(this.path(toolCallId), by, { flag: 'wx' })
      return true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err
    }
  }

  /** The holder could not take the checkpoint it claimed: the run stops waiting for it. */
  fail(toolCallId: string): void {
    try {
      writeFileSync(this.path(toolCallId), 'failed')
    } catch {
      // The run then waits until the holder is gone, or it is stopped.
    }
  }

  read(toolCallId: string): StepClaim | null {
    try {
      const text = readFileSync(this.path(toolCallId), 'utf8')
      return text === 'holder' || text === 'run' || text === 'failed' ? text : null
    } catch {
      return null
    }
  }

  /** Forget steps whose results are logged (the holder checks that, too). Never throws. */
  forget(toolCallIds: Iterable<string>): void {
    for (const id of toolCallIds) {
      try {
        rmSync(this.path(id), { force: true })
      } catch {
        // A leftover claim only keeps a holder from a step that ran already.
      }
    }
  }

  private path(toolCallId: string): string {
    // Tool call ids come from the model: keep the file name safe.
    return join(this.dir, `${Buffer.from(toolCallId).toString('base64url')}.claim`)
  }
}

/** Whether the session's log holds the result of tool call `toolCallId`: the step ran. */
export function stepRan(db: Database, sessionId: string, toolCallId: string): boolean {
  return (
    db
      .prepare(
        `SELECT 1 FROM entries WHERE session_id = ? AND type = 'tool_result'
           AND json_extract(payload, '$.toolCallId') = ?`,
      )
      .get(sessionId, toolCallId) !== undefined
  )
}

/** Whether the process holding a store may still be running (one on another host: assumed so). */
export function holderAlive(holder: LockHolder | null): boolean {
  if (!holder || holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Test hook: resolves once the file at `path` exists (polled). */
export function fileGate(path: string): () => Promise<void> {
  return async () => {
    while (!existsSync(path)) await new Promise((r) => setTimeout(r, 50))
  }
}
