import type { RepairRecord, ToolResultRecord } from '../../shared/entries'
import type { ToolCall } from '../providers/types'
import { prepareToolCall } from '../tools/repair'
import { resolveToolName } from '../tools/repair-names'
import type { Repair } from '../tools/repair'
import { spillText } from '../tools/spill'
import { TOOL_RESULT_MAX_BYTES, capToolResult, utf8Length } from '../tools/truncate'
import type { AnyTool, ToolContext, ToolEffect, ToolResult } from '../tools/types'
import { writeTool } from '../tools/write'
import type { Authorization } from './approvals'
import type { Replay } from './tool-replay'
import { executedReplay, unexecutedReplay, withReplay } from './tool-replay'

/**
 * The one way a tool call runs, from what the model wrote to the result it reads: repair →
 * validate (the tool's own strict schema) → policy (authorize) → execute → truncate. The loop's
 * batches, an approval answered after a restart, and the tests all go through here. The stages are
 * separate functions so a batch can schedule between them; {@link runToolCall} runs them in a row.
 */

/** The permission gate: allow, refuse, or ask the user and wait. Decided for the resolved tool. */
export type Authorize = (
  call: ToolCall,
  tool: string,
  input: unknown,
  signal: AbortSignal,
) => Promise<Authorization>

export interface ToolCallDeps {
  tools: readonly AnyTool[]
  workspaceRoot: string
  toolContext: (signal: AbortSignal) => ToolContext
  authorize: Authorize
  /** The run's signal: a call not started when it aborts is not run. */
  signal: AbortSignal
  now: () => number
  /** Stop the run after this call ("deny and stop"). */
  stop?: () => void
  /** The call is about to execute (it passed the gate). */
  onStart?: (call: ToolCall) => void
  /**
   * Before a call that may change files (any effect but `read`) runs: resolves once the workspace
   * is checkpointed. Never rejects (a checkpoint that fails marks the step unprotected).
   */
  beforeMutation?: (call: ToolCall, signal: AbortSignal) => Promise<void>
}

/**
 * A call after repair and validation: ready to authorize and run, or already answered. `replay`
 * is what the history sends back for it instead of what the model wrote (see `tool-replay.ts`);
 * every result of a ready call carries it.
 */
export type PreparedCall =
  | {
      ok: true
      call: ToolCall
      tool: AnyTool
      input: never
      effect: ToolEffect
      repairs: Repair[]
      replay?: Replay
    }
  | { ok: false; call: ToolCall; result: ToolResultRecord; repairs: Repair[] }

export type ReadyCall = Extract<PreparedCall, { ok: true }>

export interface ToolCallOutcome {
  result: ToolResultRecord
  /** How the call's name or arguments were repaired to fit the tool (empty: valid as sent). */
  repairs: Repair[]
}

/** Longest edited text quoted back to the model in full, in characters. */
const EDITED_QUOTE_MAX_CHARS = 20_000

/** Run one call through every stage. Never throws: every call gets exactly one result. */
export async function runToolCall(call: ToolCall, deps: ToolCallDeps): Promise<ToolCallOutcome> {
  const p = prepareCall(call, deps)
  if (!p.ok) return { result: p.result, repairs: p.repairs }
  const result = await executeCall(p, authorizeCall(p, deps, deps.signal), deps)
  return { result, repairs: p.repairs }
}

/**
 * Repair and validate: resolve the tool, read the arguments, fit them to its strict schema. A call
 * cut off at the output-token limit is never run: its arguments are incomplete, and running what
 * could be read of them (half a file) would be a silent wrong effect.
 */
export function prepareCall(
  call: ToolCall,
  deps: Pick<ToolCallDeps, 'tools' | 'workspaceRoot'>,
): PreparedCall {
  if (call.truncated) return unexecuted(call, truncatedMessage(call, deps.tools), [], deps.tools)
  const prepared = prepareToolCall(call.name, call.arguments, deps.tools, {
    workspaceRoot: deps.workspaceRoot,
  })
  const { repairs } = prepared
  if (!prepared.ok) return unexecuted(call, prepared.error, repairs, deps.tools)
  const { tool } = prepared
  // Produced by this tool's own schema: as sound as the registry's type erasure.
  const input = prepared.input as never
  const effect = tool.effect(input, { workspaceRoot: deps.workspaceRoot })
  const replay = executedReplay(call, tool, input, repairs.length > 0)
  return { ok: true, call, tool, input, effect, repairs, ...(replay ? { replay } : {}) }
}

/** A call answered without running: the error the model reads, and valid JSON for its history. */
function unexecuted(
  call: ToolCall,
  error: string,
  repairs: Repair[],
  tools: readonly AnyTool[],
): PreparedCall {
  const result = { ...base(call), content: error, isError: true, durationMs: 0 }
  return { ok: false, call, result: withReplay(result, unexecutedReplay(call, tools)), repairs }
}

/** What the model reads for a call cut off at its output-token limit. */
export function truncatedMessage(call: ToolCall, tools: readonly AnyTool[]): string {
  const name = resolveToolName(call.name, tools)?.tool.name ?? call.name
  const size = `${call.arguments.length} characters`
  return (
    `Not run: your reply hit the output token limit while you were writing the arguments of ` +
    `${name || 'this tool call'} (cut off after ${size}), so they are incomplete. Write smaller ` +
    `steps: write a big file in parts (a first part with write, then add the rest with edit), ` +
    `and change an existing file with edit instead of rewriting it.`
  )
}

/** Ask the gate, for the resolved tool's name, not the one the model wrote ("Bash" must not slip past). */
export function authorizeCall(
  p: ReadyCall,
  deps: Pick<ToolCallDeps, 'authorize'>,
  signal: AbortSignal,
): Promise<Authorization> {
  return deps.authorize(p.call, p.tool.name, p.input, signal)
}

/**
 * Wait for the gate, then run the call (or answer its refusal) and cut what it returns to size.
 * The result carries the call's replay.
 */
export async function executeCall(
  p: ReadyCall,
  authorization: Promise<Authorization>,
  deps: ToolCallDeps,
): Promise<ToolResultRecord> {
  return withReplay(await authorizedRun(p, authorization, deps), p.replay)
}

async function authorizedRun(
  p: ReadyCall,
  authorization: Promise<Authorization>,
  deps: ToolCallDeps,
): Promise<ToolResultRecord> {
  const auth = await authorization
  if (!auth.ok) {
    if (auth.stop) deps.stop?.()
    return refusedResult(p.call, auth)
  }
  if (p.effect.kind !== 'read' && deps.beforeMutation)
    await deps.beforeMutation(p.call, deps.signal)
  if (deps.signal.aborted) return abortedBeforeRun(p.call)
  deps.onStart?.(p.call)
  const started = deps.now()
  try {
    const ctx = { ...deps.toolContext(deps.signal), toolCallId: p.call.id }
    const result =
      auth.editedContent === undefined
        ? await p.tool.execute(p.input, ctx)
        : await writeEdited(p, auth.editedContent, deps)
    const aborted = deps.signal.aborted
    const content =
      aborted && !result.content ? 'Aborted by the user while running.' : result.content
    return {
      ...base(p.call),
      content: await withinBudget(content, p.tool.name, ctx),
      isError: result.isError,
      durationMs: Math.max(0, deps.now() - started),
      ...(aborted ? { synthetic: 'aborted' as const } : {}),
      ...(result.details ? { details: result.details } : {}),
    }
  } catch (err) {
    return {
      ...base(p.call),
      content: deps.signal.aborted
        ? 'Aborted by the user while running.'
        : `The tool failed: ${err instanceof Error ? err.message : String(err)}`,
      isError: true,
      durationMs: Math.max(0, deps.now() - started),
      ...(deps.signal.aborted ? { synthetic: 'aborted' as const } : {}),
    }
  }
}

/** The result of a call the gate did not let through. */
export function refusedResult(
  call: ToolCall,
  auth: Extract<Authorization, { ok: false }>,
): ToolResultRecord {
  return {
    ...base(call),
    content: auth.content,
    isError: true,
    durationMs: 0,
    synthetic: auth.synthetic,
  }
}

/** The result of a call that was not started because the run was aborted. */
export function abortedBeforeRun(call: ToolCall): ToolResultRecord {
  return {
    ...base(call),
    content: 'Aborted by the user before it ran.',
    isError: true,
    durationMs: 0,
    synthetic: 'aborted',
  }
}

/** The `repair` entry recording how a call was repaired. */
export function repairRecord(call: ToolCall, repairs: readonly Repair[]): RepairRecord {
  return {
    source: 'arguments',
    toolCallId: call.id,
    toolName: call.name,
    notes: repairs.map((r) => ({ kind: r.kind, detail: r.detail })),
  }
}

function base(call: ToolCall): Pick<ToolResultRecord, 'toolCallId' | 'toolName'> {
  return { toolCallId: call.id, toolName: call.name }
}

/**
 * The user rewrote the proposed edit/write before approving: write their text instead of running
 * the model's call, and tell the model the file differs from what it proposed.
 */
async function writeEdited(p: ReadyCall, content: string, deps: ToolCallDeps): Promise<ToolResult> {
  const path = (p.input as { path?: unknown }).path
  if (typeof path !== 'string') return { content: 'The edited change has no path.', isError: true }
  const result = await writeTool.execute({ path, content }, deps.toolContext(deps.signal))
  if (result.isError) return result
  const quoted =
    content.length > EDITED_QUOTE_MAX_CHARS
      ? `${content.slice(0, EDITED_QUOTE_MAX_CHARS)}\n… (${content.length - EDITED_QUOTE_MAX_CHARS} more characters; read the file for the rest)`
      : content
  return {
    ...result,
    content:
      `The user edited your change before applying it, so ${path} differs from what you ` +
      `proposed. The file now contains:\n${quoted}`,
    details: { ...result.details, editedByUser: true },
  }
}

/**
 * The backstop: no result may take more than the run's output budget (a share of the model's
 * window), whatever the tool. A result over it is cut, its whole text saved to the session's spill
 * folder, and the cut note says where to page through it. Built-in tools stay under it themselves.
 */
async function withinBudget(content: string, tool: string, ctx: ToolContext): Promise<string> {
  const budget = ctx.outputBudget ?? TOOL_RESULT_MAX_BYTES
  if (utf8Length(content) <= budget) return content
  const spill = await spillText(ctx.spillDir, tool.replace(/[^A-Za-z0-9_-]/g, '_'), content)
  return capToolResult(content, budget, spill.ok ? spill.path : undefined)
}
