import { hostname } from 'node:os'
import { payloadOf } from '../../shared/entries'
import type { CheckpointTaken, UnprotectedRun } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import { takenBefore, takenRecord } from './checkpoint-log'
import type { RecordContext } from './checkpoint-log'
import type { EngineCheckpoints } from './engine-checkpoints'
import { holderAlive, StepClaims, stepRan } from './step-claims'
import { CheckpointError } from './store'
import type { LockHolder } from './store'
import type { StoreSlot } from './workspace-stores'

/**
 * How long a run whose workspace store another process holds waits, before each tool that may
 * change files, for that process to start taking the checkpoint (ms). It usually takes a few ms;
 * a holder that does not take them (an older Paddock, another program) costs this wait per step.
 */
export const HOLDER_WAIT_MS = 3000
const HOLDER_POLL_MS = 20

/** Tools that never change files: their results need no checkpoint. */
const READ_ONLY_TOOLS = new Set(['read', 'grep', 'glob', 'ls', 'shell_read'])

/**
 * The holder's side. A workspace's store has one writer, so a run another process drives there
 * cannot take checkpoints; without this, what it changed would land in this process's next
 * checkpoint, credited to one of this process's sessions. So this process, holding the store,
 * takes them for it: before each of its tool calls that may change files (the run records the
 * step it could not protect, then waits for this checkpoint) and after each of them. A "before"
 * checkpoint is taken only once this process has claimed the step (`StepClaims`): a run that gave
 * up waiting claimed it first and ran it, so a checkpoint now would already hold its effect. They are
 * recorded in that session's log with `takenBy`; they are checkpoint entries only, which the
 * conversation sent to the model never shows, so the other process's view of its branch stays
 * what it needs.
 */
export class ForeignRuns {
  /** Per session: its checkpoints are taken in the order its entries came. */
  private readonly chains = new Map<string, Promise<void>>()
  /** Per session: the prompt of its run, as its last unprotected step said. */
  private readonly turns = new Map<string, string | null>()
  /**
   * Sessions whose tools may be running: a "before" checkpoint was asked for since their last
   * result. (A step's calls may run together; their results are logged once all are done.)
   */
  private readonly toolsOut = new Set<string>()
  private readonly self: LockHolder

  constructor(
    private readonly cp: EngineCheckpoints,
    /** What this process is ("the Paddock web host"). */
    name: string,
  ) {
    this.self = { pid: process.pid, host: hostname(), name }
  }

  /** An entry was appended to a session's log, by this process or another. */
  noticed(sessionId: string, entry: Entry): void {
    if (entry.type === 'turn_end') {
      this.turns.delete(sessionId)
      this.toolsOut.delete(sessionId)
      return
    }
    const ctx = this.contextOf(sessionId, entry)
    if (!ctx) return
    // A run this process drives takes its own checkpoints.
    if (this.cp.deps.running().some((r) => r.sessionId === sessionId)) return
    let workspaceId: string
    try {
      workspaceId = this.cp.workspaceOf(sessionId).id
    } catch {
      return
    }
    if (!this.cp.stores.held(workspaceId)) return
    const prev = this.chains.get(sessionId) ?? Promise.resolve()
    const next = prev.then(() => this.take(sessionId, workspaceId, ctx))
    this.chains.set(sessionId, next)
    void next.finally(() => {
      if (this.chains.get(sessionId) === next) this.chains.delete(sessionId)
    })
  }

  /** The session was deleted: nothing of it is kept. */
  forget(sessionId: string): void {
    this.turns.delete(sessionId)
    this.toolsOut.delete(sessionId)
  }

  private contextOf(sessionId: string, entry: Entry): (RecordContext & { label: string }) | null {
    const missed = payloadOf(entry, 'checkpoint')
    if (missed && !missed.taken) {
      if (missed.code !== 'store_busy' || missed.reason !== 'before-tool') return null
      if (!missed.toolCallId) return null
      this.turns.set(sessionId, missed.turnId)
      // Another of the step's calls may have run since the last checkpoint: what changed is its.
      const ownChanges = this.toolsOut.has(sessionId)
      this.toolsOut.add(sessionId)
      return {
        reason: 'before-tool',
        ownChanges,
        toolCallId: missed.toolCallId,
        ...(missed.toolName ? { toolName: missed.toolName } : {}),
        label: `Before ${missed.toolName ?? 'a tool'} (${missed.toolCallId})`,
        turnId: missed.turnId,
        anchorId: missed.anchorId,
      }
    }
    const result = payloadOf(entry, 'tool_result')
    if (!result || result.synthetic || READ_ONLY_TOOLS.has(result.toolName)) return null
    this.toolsOut.delete(sessionId)
    return {
      reason: 'turn-end',
      label: 'End of a step',
      // Taken after one of its tools ran: what changed since is that tool's.
      ownChanges: true,
      turnId: this.turns.get(sessionId) ?? null,
      anchorId: entry.id,
    }
  }

  /** Take and record one checkpoint for the session. Never throws. */
  private async take(
    sessionId: string,
    workspaceId: string,
    ctx: RecordContext & { label: string },
  ): Promise<void> {
    const { logger, db, foreignGate } = this.cp.deps
    if (foreignGate) await foreignGate()
    const slot = this.cp.stores.held(workspaceId)
    if (!slot) return
    // A "before" checkpoint only for a step the run still waits on, claimed so it cannot go on.
    const step = ctx.reason === 'before-tool' ? ctx.toolCallId : undefined
    const claims = new StepClaims(this.cp.stores.storeDir(workspaceId), sessionId)
    const failed = (): void => {
      if (step) claims.fail(step)
    }
    if (step) {
      try {
        if (!claims.claim(step, 'holder')) return
      } catch (err) {
        logger.log('warn', 'could not claim a step of a run elsewhere', {
          session: sessionId,
          error: String(err),
        })
        return
      }
      if (stepRan(db, sessionId, step)) return claims.forget([step])
    }
    try {
      const snap = await slot.store.snapshot({ sessionId, reason: ctx.reason, label: ctx.label })
      if (!snap.ok) {
        failed()
        logger.log('warn', 'checkpoint for a run elsewhere not taken', {
          session: sessionId,
          error: snap.message,
        })
        return
      }
      this.cp.noteSnapshot(slot, true)
      // A step's before-checkpoint is recorded even when nothing changed: the run waits for it.
      if (snap.changed || ctx.reason === 'before-tool') {
        const record: CheckpointTaken = { ...takenRecord(snap, ctx), takenBy: this.self }
        this.cp.record(sessionId, record)
      }
    } catch (err) {
      failed()
      if (err instanceof CheckpointError && err.code === 'store_closed') return
      logger.log('warn', 'checkpoint for a run elsewhere failed', {
        session: sessionId,
        error: String(err),
      })
    }
  }
}

/**
 * The other side: one run of this process in a workspace whose store another process holds.
 * Before each tool that may change files (its unprotected step already recorded), it waits for
 * the holder's checkpoint: a bounded wait for the holder to claim the step, then, once claimed,
 * until it is taken (or failed, or the holder is gone). A step the holder did not claim in time is
 * claimed by the run and runs unprotected, recorded once per run (`unprotected_run`). Stopping the
 * run ends the wait (the tool then does not run).
 */
export class HeldElsewhere {
  private reported = false
  /** Steps this run waited on: their claims are removed when the run ends. */
  private readonly steps = new Set<string>()
  private claims: StepClaims | null = null

  constructor(
    private readonly cp: EngineCheckpoints,
    private readonly sessionId: string,
    private readonly turnId: string | null,
  ) {}

  async before(slot: StoreSlot, toolCallId: string, signal?: AbortSignal): Promise<void> {
    if (slot.code === 'store_busy') {
      const outcome = await this.waitForHolder(slot, toolCallId, signal)
      if (outcome !== 'unprotected') return
    }
    if (this.reported) return
    this.reported = true
    try {
      this.cp.deps.append(
        this.sessionId,
        'unprotected_run',
        unprotectedRun(slot, slot.holder, this.turnId),
      )
    } catch (err) {
      this.cp.deps.logger.log('warn', 'could not record an unprotected run', {
        session: this.sessionId,
        error: String(err),
      })
    }
  }

  /** The run is over and every step's result logged: its claims are not needed any more. */
  finish(): void {
    this.claims?.forget(this.steps)
    this.steps.clear()
  }

  private async waitForHolder(
    slot: StoreSlot,
    toolCallId: string,
    signal: AbortSignal | undefined,
  ): Promise<'taken' | 'unprotected' | 'aborted'> {
    const { db, now, sleep } = this.cp.deps
    const claims = (this.claims ??= new StepClaims(
      this.cp.stores.storeDir(slot.workspaceId),
      this.sessionId,
    ))
    this.steps.add(toolCallId)
    const deadline = now() + HOLDER_WAIT_MS
    let holderClaimed = false
    for (;;) {
      if (takenBefore(db, this.sessionId, toolCallId)) return 'taken'
      if (signal?.aborted) return 'aborted'
      if (holderClaimed) {
        if (claims.read(toolCallId) === 'failed' || !holderAlive(slot.holder)) return 'unprotected'
      } else if (now() >= deadline) {
        try {
          if (claims.claim(toolCallId, 'run')) return 'unprotected'
        } catch (err) {
          // The holder cannot claim it either (it checks its claim before a snapshot).
          this.cp.deps.logger.log('warn', 'could not claim a step of a run', {
            session: this.sessionId,
            error: String(err),
          })
          return 'unprotected'
        }
        holderClaimed = true
      }
      try {
        await sleep(HOLDER_POLL_MS, signal ?? new AbortController().signal)
      } catch {
        return 'aborted'
      }
    }
  }
}

/** "the Paddock web host (pid 12 on box)" or "process 12 on box". */
export function holderText(holder: LockHolder): string {
  return holder.name
    ? `${holder.name} (pid ${holder.pid} on ${holder.host})`
    : `process ${holder.pid} on ${holder.host}`
}

/** The `unprotected_run` record of a run whose store this process could not write. */
export function unprotectedRun(
  slot: { code: 'store_busy' | 'store_unavailable' | null; reason: string | null },
  holder: LockHolder | null,
  turnId: string | null,
): UnprotectedRun {
  const message =
    slot.code === 'store_busy' && holder
      ? `No checkpoint before a step of this run: ${holderText(holder)} holds this workspace's checkpoint store and did not take one in time.`
      : `No checkpoints for this run: ${(slot.reason ?? 'the checkpoint store is not available').replace(/\.$/, '')}.`
  return {
    code: slot.code === 'store_busy' ? 'store_busy' : 'store_unavailable',
    message,
    holder,
    turnId,
  }
}
