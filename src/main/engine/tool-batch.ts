import type { ToolResultRecord } from '../../shared/entries'
import type { ToolCall } from '../providers/types'
import type { AnyTool, ToolContext, ToolEffect } from '../tools/types'
import type { Inbox } from './inbox'
import { prepareToolCall } from '../tools/repair'
import type { Repair } from '../tools/repair'
import type { Authorization } from './approvals'
import { writeTool } from '../tools/write'
import type { ToolResult } from '../tools/types'

/** Longest edited text quoted back to the model in full, in characters. */
const EDITED_QUOTE_MAX_CHARS = 20_000

export interface BatchDeps {
  tools: Map<string, AnyTool>
  toolContext: (signal: AbortSignal) => ToolContext
  workspaceRoot: string
  inbox: Inbox
  /** The permission gate: allow, refuse, or ask the user and wait. */
  authorize: (
    call: ToolCall,
    tool: string,
    input: unknown,
    signal: AbortSignal,
  ) => Promise<Authorization>
  /** Stop the run after this batch ("deny and stop"). */
  stop: () => void
  signal: AbortSignal
  now: () => number
  onStart: (call: ToolCall) => void
  /** Called once per call, in the order the model wrote the calls. */
  onResult: (result: ToolResultRecord) => void
  /** Called when a call's name or arguments had to be repaired to fit the tool's contract. */
  onRepair: (call: ToolCall, repairs: Repair[]) => void
  /**
   * Before a call that may change files (any effect but `read`) runs: resolves once the workspace
   * is checkpointed. Never rejects (a checkpoint that fails marks the step unprotected).
   */
  beforeMutation?: (call: ToolCall) => Promise<void>
}

type Prepared =
  | { ok: true; call: ToolCall; tool: AnyTool; input: never; effect: ToolEffect }
  | { ok: false; call: ToolCall; result: ToolResultRecord }

/**
 * Run one batch of tool calls. Reads run in parallel; calls that change the same path run in the
 * order the model wrote them; `exclusive` calls (bash) wait for everything before them and hold
 * back everything after. A call that has not started when a steer arrives, or when the run is
 * aborted, is not run and gets a result saying why: every call always gets exactly one result.
 */
export async function runToolBatch(calls: ToolCall[], deps: BatchDeps): Promise<void> {
  const prepared = calls.map((call) => prepare(call, deps))
  const done: Array<Promise<ToolResultRecord>> = []
  let barrier: Promise<unknown> = Promise.resolve()
  const pathTails = new Map<string, Promise<unknown>>()

  for (const [i, p] of prepared.entries()) {
    if (!p.ok) {
      done.push(Promise.resolve(p.result))
      continue
    }
    let waitFor: Array<Promise<unknown>>
    if (p.effect.kind === 'exclusive') waitFor = [barrier, ...done.slice(0, i)]
    else if (p.effect.kind === 'write') {
      waitFor = [barrier, ...p.effect.paths.map((path) => pathTails.get(path) ?? Promise.resolve())]
    } else waitFor = [barrier]
    // Ask for every call's permission at once (the user sees all pending questions together);
    // the call itself still waits for its turn to run.
    const withdraw = new AbortController()
    const auth = deps.authorize(
      p.call,
      p.tool.name,
      p.input,
      AbortSignal.any([deps.signal, withdraw.signal]),
    )
    const run = Promise.all(waitFor.map((w) => w.catch(() => undefined))).then(() =>
      execute(p, auth, withdraw, deps),
    )
    done.push(run)
    if (p.effect.kind === 'exclusive') barrier = run
    if (p.effect.kind === 'write') for (const path of p.effect.paths) pathTails.set(path, run)
  }
  for (const d of done) deps.onResult(await d)
}

function prepare(call: ToolCall, deps: BatchDeps): Prepared {
  const fail = (content: string, synthetic?: ToolResultRecord['synthetic']): Prepared => ({
    ok: false,
    call,
    result: {
      toolCallId: call.id,
      toolName: call.name,
      content,
      isError: true,
      durationMs: 0,
      ...(synthetic ? { synthetic } : {}),
    },
  })
  const prepared = prepareToolCall(call.name, call.arguments, [...deps.tools.values()])
  if (prepared.repairs.length) deps.onRepair(call, prepared.repairs)
  if (!prepared.ok) return fail(prepared.error)
  const { tool } = prepared
  // Produced by this tool's own schema: as sound as the registry's type erasure.
  const input = prepared.input as never
  const effect = tool.effect(input, { workspaceRoot: deps.workspaceRoot })
  return { ok: true, call, tool, input, effect }
}

async function execute(
  p: Extract<Prepared, { ok: true }>,
  authorization: Promise<Authorization>,
  withdraw: AbortController,
  deps: BatchDeps,
): Promise<ToolResultRecord> {
  const base = { toolCallId: p.call.id, toolName: p.call.name }
  // A call that will not run withdraws its question, so nobody is left asked for nothing.
  const skip = (result: ToolResultRecord): ToolResultRecord => {
    withdraw.abort()
    return result
  }
  if (deps.signal.aborted) {
    return skip({
      ...base,
      content: 'Aborted by the user before it ran.',
      isError: true,
      durationMs: 0,
      synthetic: 'aborted',
    })
  }
  if (deps.inbox.hasSteer()) {
    return skip({
      ...base,
      content: 'Skipped: the user sent a new message before this call ran, so it was not run.',
      isError: true,
      durationMs: 0,
      synthetic: 'skipped',
    })
  }
  // Decided for the resolved tool's name, not the one the model wrote ("Bash" must not slip past).
  const auth = await authorization
  if (!auth.ok) {
    if (auth.stop) deps.stop()
    return {
      ...base,
      content: auth.content,
      isError: true,
      durationMs: 0,
      synthetic: auth.synthetic,
    }
  }
  if (p.effect.kind !== 'read' && deps.beforeMutation) await deps.beforeMutation(p.call)
  if (deps.signal.aborted) {
    return {
      ...base,
      content: 'Aborted by the user before it ran.',
      isError: true,
      durationMs: 0,
      synthetic: 'aborted',
    }
  }
  deps.onStart(p.call)
  const started = deps.now()
  try {
    const result =
      auth.editedContent === undefined
        ? await p.tool.execute(p.input, deps.toolContext(deps.signal))
        : await writeEdited(p, auth.editedContent, deps)
    const aborted = deps.signal.aborted
    return {
      ...base,
      content: aborted && !result.content ? 'Aborted by the user while running.' : result.content,
      isError: result.isError,
      durationMs: Math.max(0, deps.now() - started),
      ...(aborted ? { synthetic: 'aborted' as const } : {}),
      ...(result.details ? { details: result.details } : {}),
    }
  } catch (err) {
    return {
      ...base,
      content: deps.signal.aborted
        ? 'Aborted by the user while running.'
        : `The tool failed: ${err instanceof Error ? err.message : String(err)}`,
      isError: true,
      durationMs: Math.max(0, deps.now() - started),
      ...(deps.signal.aborted ? { synthetic: 'aborted' as const } : {}),
    }
  }
}

/**
 * The user rewrote the proposed edit/write before approving: write their text instead of running
 * the model's call, and tell the model the file differs from what it proposed.
 */
async function writeEdited(
  p: Extract<Prepared, { ok: true }>,
  content: string,
  deps: BatchDeps,
): Promise<ToolResult> {
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
