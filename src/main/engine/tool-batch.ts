import type { ToolResultRecord } from '../../shared/entries'
import type { ToolCall } from '../providers/types'
import type { Repair } from '../tools/repair'
import type { Authorization } from './approvals'
import type { Inbox } from './inbox'
import type { ReadyCall, ToolCallDeps } from './tool-call'
import { abortedBeforeRun, authorizeCall, executeCall, prepareCall } from './tool-call'
import { withReplay } from './tool-replay'

export interface BatchDeps extends ToolCallDeps {
  inbox: Inbox
  /** Called once per call, in the order the model wrote the calls. */
  onResult: (result: ToolResultRecord) => void
  /** Called when a call's name or arguments had to be repaired to fit the tool's contract. */
  onRepair: (call: ToolCall, repairs: Repair[]) => void
}

/**
 * Run one batch of tool calls, each through the one tool call path (`tool-call.ts`). Reads run in
 * parallel; calls that change the same path run in the order the model wrote them; `exclusive`
 * calls (bash) wait for everything before them and hold back everything after. A call that has
 * not started when a steer arrives, or when the run is aborted, is not run and gets a result
 * saying why: every call always gets exactly one result.
 */
export async function runToolBatch(calls: ToolCall[], deps: BatchDeps): Promise<void> {
  const prepared = calls.map((call) => {
    const p = prepareCall(call, deps)
    if (p.repairs.length) deps.onRepair(call, p.repairs)
    return p
  })
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
    const auth = authorizeCall(p, deps, AbortSignal.any([deps.signal, withdraw.signal]))
    const run = Promise.all(waitFor.map((w) => w.catch(() => undefined))).then(() =>
      runInTurn(p, auth, withdraw, deps),
    )
    done.push(run)
    if (p.effect.kind === 'exclusive') barrier = run
    if (p.effect.kind === 'write') for (const path of p.effect.paths) pathTails.set(path, run)
  }
  for (const d of done) deps.onResult(await d)
}

/** The call's turn has come: skip it if the run moved on, else finish it on the one path. */
function runInTurn(
  p: ReadyCall,
  authorization: Promise<Authorization>,
  withdraw: AbortController,
  deps: BatchDeps,
): Promise<ToolResultRecord> {
  // A call that will not run withdraws its question, so nobody is left asked for nothing. Its
  // history still needs the call as it would have run.
  const skip = (result: ToolResultRecord): Promise<ToolResultRecord> => {
    withdraw.abort()
    return Promise.resolve(withReplay(result, p.replay))
  }
  if (deps.signal.aborted) return skip(abortedBeforeRun(p.call))
  if (deps.inbox.hasSteer()) {
    return skip({
      toolCallId: p.call.id,
      toolName: p.call.name,
      content: 'Skipped: the user sent a new message before this call ran, so it was not run.',
      isError: true,
      durationMs: 0,
      synthetic: 'skipped',
    })
  }
  return executeCall(p, authorization, deps)
}
