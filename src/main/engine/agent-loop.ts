import type { Entry } from '../../shared/model'
import type { ContextRecord, EntryPayload, TurnEnd, UsageRecord } from '../../shared/entries'
import type { TurnState } from '../../shared/events'
import { deriveMessages } from '../context/history'
import type { AssistantTurn, ChatMessage, StreamFn, ToolSpec } from '../providers/types'
import { ProviderError, emptyUsage } from '../providers/types'
import type { AnyTool, ToolContext } from '../tools/types'
import type { Inbox } from './inbox'
import { runToolBatch } from './tool-batch'
import type { Authorize } from './tool-call'
import { repairRecord } from './tool-call'
import type { Pricing } from '../providers/catalog'
import { costOf } from '../providers/cost'
import type { RunCheckpoints } from './checkpoint-hooks'
import { correctionFor, unreadCallsCorrection } from './tool-call-correction'
import type { LoopWatch } from './loop-detect'

/** What the loop shows live (not persisted): token deltas and its state. */
export type LiveDraft =
  | {
      type: 'turn.delta'
      kind: 'text' | 'reasoning' | 'tool_args'
      text: string
      index?: number
      toolName?: string
    }
  | {
      type: 'turn.state'
      state: TurnState
      attempt?: number
      retryInMs?: number
      message?: string
      toolCallId?: string
    }

/** The entry types the loop records: the whole vocabulary of its log port. */
export type LoopEntryType = 'user_message' | 'assistant_message' | 'tool_result' | 'repair'

/** One entry the loop records: a union discriminated by `type`. */
export type LoopEntry = {
  [T in LoopEntryType]: { type: T; payload: EntryPayload<T> }
}[LoopEntryType]

export interface LoopLog {
  append(entry: LoopEntry): Entry
  /**
   * The branch the conversation is derived from: whole, or from where the last compaction's kept
   * part starts (`conversationBranch`), with everything appended since.
   */
  branch(): Entry[]
}

/** What one model call sends: `prepareTurn` may rewrite it. */
export interface TurnRequest {
  system: string
  messages: ChatMessage[]
  tools: ToolSpec[]
}

/** Where a model call stands in its run (read-only, for `prepareTurn`). */
export interface TurnInfo {
  /** 0-based index of this model call in its run. */
  turn: number
  /** The canonical model id, and the provider's name for it. */
  model: string
  providerModel: string
  signal: AbortSignal
}

/**
 * Runs before every model call (once per call; its retries resend what it returned) with what is
 * about to be sent, derived from the log; returns what is sent. The log is not changed by it.
 */
export type PrepareTurn = (
  request: TurnRequest,
  info: TurnInfo,
) => TurnRequest | Promise<TurnRequest>

export interface LoopDeps {
  stream: StreamFn
  /** The canonical model id: what the log, usage and cost record. */
  model: string
  /** The provider's name for it, used only in the request. */
  providerModel: string
  /** Prices for cost; absent when unknown. */
  pricing?: Pricing
  /** The model takes image input: tool results' images go to it as image parts (default: no). */
  images?: boolean
  /** Before each model call: why the run must pause for spend (a cap reached), or null. */
  checkSpend: () => string | null
  context: ContextRecord
  tools: Map<string, AnyTool>
  toolContext: (signal: AbortSignal) => ToolContext
  workspaceRoot: string
  log: LoopLog
  emit: (event: LiveDraft) => void
  inbox: Inbox
  authorize: Authorize
  /** Rewrites what each model call sends (default: sent as derived from the log). */
  prepareTurn?: PrepareTurn
  /** Abort the run (after "deny and stop"). */
  stop: () => void
  /** Model calls allowed in this run before it stops with `max_turns`. */
  maxTurns: number
  /** Retries of a failed model call (rate limit, 5xx, network, broken stream). */
  maxRetries: number
  signal: AbortSignal
  now: () => number
  /** Resolves after `ms` (or rejects when `signal` aborts). Injected so tests never wait. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  /** In [0, 1): the jitter of retry backoff. */
  random: () => number
  /** Checkpoints before mutating tools and after each step (absent: none are taken). */
  checkpoints?: RunCheckpoints
  /** Keeps the conversation inside the window (absent: it is sent whole). */
  keeper?: ContextKeeper
  /** The run's loop detectors (absent: none): told each answer and result, may nudge. */
  loops?: LoopWatch
  /** Switches the run to a fallback model, and back (absent: a failed model ends the run). */
  fallback?: ModelFallback
}

export type { ContextKeeper, LoopModel, ModelFallback } from './loop-ports'
export { overflowAdvice } from './loop-ports'
import type { ContextKeeper, ModelFallback } from './loop-ports'
import { overflowAdvice } from './loop-ports'

/** Longest wait between retries of a model call, in ms. */
export const MAX_BACKOFF_MS = 30_000

/**
 * Wait before retry `attempt` (0-based): what the server asked for, else exponential backoff from
 * 1 s with jitter (50–100 % of the step), capped at {@link MAX_BACKOFF_MS}.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, 10 * MAX_BACKOFF_MS)
  const step = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt)
  return Math.round(step * (0.5 + 0.5 * random()))
}

class Aborted extends Error {
  constructor(readonly partial: { content: string; reasoning: string }) {
    super('aborted')
  }
}

/**
 * The turn loop: call the model with the conversation derived from the log, record its answer, run
 * its tool calls, record their results, repeat until it stops calling tools. Steers are delivered
 * before each model call; follow-ups when the model would otherwise stop. Returns why it stopped
 * (the caller records it as a `turn_end` entry) and never leaves a tool call without a result.
 */
export async function runAgentLoop(deps: LoopDeps): Promise<TurnEnd> {
  // The caller records the end (a `turn_end` entry) once it has marked the session idle.
  const end = (reason: TurnEnd['reason'], message?: string): TurnEnd =>
    message ? { reason, message } : { reason }
  const { checkpoints } = deps
  let calls = 0
  /** A run corrects a tool call written as unreadable text once; the next such turn ends it. */
  let corrected = false
  /** A context overflow is answered by one compaction and one retry; a second ends the run. */
  let overflowRetried = false
  for (;;) {
    for (const text of deps.inbox.takeSteers())
      deps.log.append({ type: 'user_message', payload: { text, kind: 'steer' } })
    if (deps.signal.aborted) return end('aborted')
    const overCap = deps.checkSpend()
    if (overCap) return end('spend_cap', overCap)
    if (calls >= deps.maxTurns) {
      return end('max_turns', `Stopped after ${deps.maxTurns} model calls (the max turns setting).`)
    }
    const turnIndex = calls
    calls += 1

    // The model may change mid-run (a fallback, or back to the primary): `deps` is rebound to it.
    const back = deps.fallback?.beforeCall()
    if (back) [deps, overflowRetried] = [{ ...deps, ...back }, false]

    if (deps.keeper) {
      try {
        await deps.keeper.beforeCall(deps.signal)
      } catch (err) {
        if (deps.signal.aborted) return end('aborted')
        // The request goes out as it is; an overflow is handled when the provider answers.
        void err
      }
    }

    let turn: AssistantTurn
    let offered: readonly string[]
    try {
      ;({ turn, offered } = await callModel(deps, turnIndex))
      overflowRetried = false
    } catch (err) {
      if (err instanceof Aborted) {
        if (err.partial.content || err.partial.reasoning) {
          await checkpoints?.settled()
          deps.log.append({
            type: 'assistant_message',
            payload: {
              ...err.partial,
              toolCalls: [],
              finishReason: 'aborted',
              usage: emptyUsage(),
              model: deps.model,
              partial: true,
            },
          })
        }
        return end('aborted')
      }
      const message = err instanceof Error ? err.message : String(err)
      if (err instanceof ProviderError && err.kind === 'context_overflow') {
        if (!deps.keeper || overflowRetried) {
          return end('context_overflow', deps.keeper ? overflowAdvice(message) : message)
        }
        overflowRetried = true
        try {
          await deps.keeper.afterOverflow(deps.signal)
        } catch (compactErr) {
          if (deps.signal.aborted) return end('aborted')
          const why = compactErr instanceof Error ? compactErr.message : String(compactErr)
          return end(
            'context_overflow',
            `The conversation does not fit the model's context window (${message}), and compacting it failed: ${why}`,
          )
        }
        // The retry is the same model call: it does not count against max turns.
        calls -= 1
        continue
      }
      if (err instanceof ProviderError && err.kind === 'auth') {
        return { ...end('error', message), cause: 'auth' }
      }
      const next = await deps.fallback?.afterFailure(err, deps.signal)
      if (deps.signal.aborted) return end('aborted')
      if (next) {
        // Another model: its own overflow gets its own compaction and retry.
        ;[deps, overflowRetried] = [{ ...deps, ...next }, false]
        // The same model call, made again with the fallback: it does not count against max turns.
        calls -= 1
        continue
      }
      return end('error', message)
    }
    // The last step's checkpoint (taken while this request ran) is recorded before its answer.
    await checkpoints?.settled()
    const answer = deps.log.append({
      type: 'assistant_message',
      payload: {
        content: turn.content,
        reasoning: turn.reasoning,
        ...(turn.reasoningField ? { reasoningField: turn.reasoningField } : {}),
        toolCalls: turn.toolCalls,
        finishReason: turn.finishReason,
        usage: turn.usage satisfies UsageRecord,
        model: deps.model,
        costUsd: costOf(turn.usage, deps.pricing),
      },
    })
    if (turn.repairs?.length) {
      deps.log.append({ type: 'repair', payload: { source: 'stream', notes: turn.repairs } })
    }
    deps.loops?.onAnswer(turn)

    if (turn.toolCalls.length === 0) {
      const correction = corrected ? null : correctionFor(turn, offered)
      if (correction) {
        corrected = true
        if (correction.note) {
          deps.log.append({
            type: 'repair',
            payload: { source: 'stream', notes: [correction.note] },
          })
        }
        appendCorrection(deps.log, correction.text)
        continue
      }
      if (deps.inbox.hasSteer()) continue
      const followUps = deps.inbox.takeFollowUps()
      if (followUps.length === 0) return end('done')
      for (const text of followUps) {
        deps.log.append({ type: 'user_message', payload: { text, kind: 'follow_up' } })
      }
      continue
    }

    await runToolBatch(turn.toolCalls, {
      tools: [...deps.tools.values()],
      toolContext: deps.toolContext,
      workspaceRoot: deps.workspaceRoot,
      inbox: deps.inbox,
      authorize: deps.authorize,
      stop: deps.stop,
      signal: deps.signal,
      now: deps.now,
      onStart: (call) => deps.emit({ type: 'turn.state', state: 'tool', toolCallId: call.id }),
      onResult: (result) => {
        deps.log.append({ type: 'tool_result', payload: result })
        deps.loops?.onResult(result)
      },
      onRepair: (call, repairs) =>
        deps.log.append({ type: 'repair', payload: repairRecord(call, repairs) }),
      ...(checkpoints
        ? { beforeMutation: (call, signal) => checkpoints.beforeTool(call, answer.id, signal) }
        : {}),
    })
    // Calls in the same text that were not read: the model is told beside the results of those
    // that ran (the stream repairs recorded which and why).
    const unread = deps.signal.aborted ? null : unreadCallsCorrection(turn, offered)
    if (unread) appendCorrection(deps.log, unread.text)
    // Something repeats: the model is told what, once per repeat (`loop-detect.ts`).
    const nudge = deps.signal.aborted ? null : (deps.loops?.takeNudge() ?? null)
    if (nudge) appendCorrection(deps.log, nudge)
    // Runs while the next request goes out: a checkpoint never delays the model.
    checkpoints?.afterStep(answer.id)
    if (deps.signal.aborted) return end('aborted')
  }
}

/**
 * Paddock's own message to the model (an unreadable tool call, calls left unread, a loop nudge):
 * a `correction` user message, so the next request ends with it and clients show it as Paddock's.
 */
function appendCorrection(log: LoopLog, text: string): void {
  log.append({ type: 'user_message', payload: { text, kind: 'correction' } })
}

/** What model call `turn` sends: derived from the log, then through `prepareTurn`. */
async function prepareRequest(deps: LoopDeps, turn: number): Promise<TurnRequest> {
  const derived: TurnRequest = {
    system: deps.context.system,
    messages: deriveMessages(deps.log.branch(), { images: deps.images === true }),
    tools: deps.context.tools,
  }
  if (!deps.prepareTurn) return derived
  const info: TurnInfo = {
    turn,
    model: deps.model,
    providerModel: deps.providerModel,
    signal: deps.signal,
  }
  try {
    return await deps.prepareTurn(derived, info)
  } catch (err) {
    if (deps.signal.aborted) throw new Aborted({ content: '', reasoning: '' })
    throw err
  }
}

/**
 * One model call with retries; the partial answer of a failed attempt is discarded. Returns the
 * answer and the names of the tools the call offered.
 */
async function callModel(
  deps: LoopDeps,
  turnIndex: number,
): Promise<{ turn: AssistantTurn; offered: string[] }> {
  const { system, messages, tools } = await prepareRequest(deps, turnIndex)
  for (let attempt = 0; ; attempt++) {
    const partial = { content: '', reasoning: '' }
    const toolNames: string[] = []
    try {
      deps.emit({ type: 'turn.state', state: 'requesting', ...(attempt ? { attempt } : {}) })
      let streaming = false
      for await (const ev of deps.stream({
        model: deps.providerModel,
        system,
        messages,
        tools,
        signal: deps.signal,
      })) {
        if (!streaming && ev.type !== 'done') {
          streaming = true
          deps.emit({ type: 'turn.state', state: 'streaming' })
        }
        if (ev.type === 'text_delta') {
          partial.content += ev.text
          deps.emit({ type: 'turn.delta', kind: 'text', text: ev.text })
        } else if (ev.type === 'reasoning_delta') {
          partial.reasoning += ev.text
          deps.emit({ type: 'turn.delta', kind: 'reasoning', text: ev.text })
        } else if (ev.type === 'tool_call_delta') {
          if (ev.name) toolNames[ev.index] = (toolNames[ev.index] ?? '') + ev.name
          deps.emit({
            type: 'turn.delta',
            kind: 'tool_args',
            text: ev.argumentsDelta,
            index: ev.index,
            ...(toolNames[ev.index] ? { toolName: toolNames[ev.index] } : {}),
          })
        } else if (ev.type === 'done') {
          return { turn: ev.turn, offered: tools.map((t) => t.name) }
        }
      }
      throw new ProviderError('malformed_stream', 'The provider stream ended without a result.')
    } catch (err) {
      if (deps.signal.aborted || (err instanceof ProviderError && err.kind === 'aborted')) {
        throw new Aborted(partial)
      }
      const pe = err instanceof ProviderError ? err : null
      if (!pe || !pe.retryable || attempt >= deps.maxRetries) throw err
      const delay = retryDelay(attempt, pe.retryAfterMs, deps.random)
      // Clients drop what this attempt streamed: the retry replaces it on screen.
      deps.emit({
        type: 'turn.state',
        state: 'retrying',
        attempt: attempt + 1,
        retryInMs: delay,
        message: pe.message,
      })
      try {
        await deps.sleep(delay, deps.signal)
      } catch {
        throw new Aborted({ content: '', reasoning: '' })
      }
    }
  }
}
