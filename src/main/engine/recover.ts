import { payloadOf } from '../../shared/entries'
import type { Entry } from '../../shared/model'
import type { Logger } from '../core/logger'
import { isMidRun } from '../context/history'
import type { Store } from '../sessions/store'

/**
 * A process that died mid-run (kill -9, power loss) leaves a branch that ends inside a run. Mark
 * it: answer any tool call left without a result, then record the run as interrupted, so the log
 * is valid for the next request, clients show the run as over (its cut-off call "interrupted"),
 * and the UI can offer "Continue". Call it only from the process that holds the session's lease
 * and runs nothing in it. No `turn.state: idle` follows its turn_end, since no run of this
 * process ended. `midRun` says whether the branch ends inside a run. Returns whether it marked
 * anything.
 */
export function recoverInterruptedRun(
  store: Store,
  sessionId: string,
  logger: Logger,
  midRun: (branch: Entry[]) => boolean = isMidRun,
): boolean {
  const branch = store.branch(sessionId)
  if (!midRun(branch)) return false
  let lastAssistant = -1
  for (let i = branch.length - 1; i >= 0; i--) {
    if (branch[i]!.type === 'assistant_message') {
      lastAssistant = i
      break
    }
  }
  if (lastAssistant >= 0) {
    const msg = payloadOf(branch[lastAssistant]!, 'assistant_message')
    const answered = new Set(
      branch.slice(lastAssistant + 1).map((e) => payloadOf(e, 'tool_result')?.toolCallId),
    )
    if (msg && !msg.partial) {
      for (const call of msg.toolCalls) {
        if (answered.has(call.id)) continue
        store.appendEntry(sessionId, {
          type: 'tool_result',
          payload: {
            toolCallId: call.id,
            toolName: call.name,
            content:
              'Interrupted: Paddock stopped before this tool call finished. It may have run partly.',
            isError: true,
            durationMs: 0,
            synthetic: 'interrupted',
          },
        })
      }
    }
  }
  store.appendEntry(sessionId, {
    type: 'turn_end',
    payload: { reason: 'interrupted', message: 'Paddock stopped during this run.' },
  })
  logger.log('info', 'marked an interrupted run', { session: sessionId })
  return true
}

/**
 * Whether the branch ends inside a run that nothing ended: like `isMidRun`, except that a rewind
 * (`branch_point`) landing inside a run ends it too — the user chose to go on from there, no
 * process died. For marking a dead run as soon as a session is taken over, which must not mark
 * a rewound branch.
 */
export function cutOffMidRun(branch: Entry[]): boolean {
  for (let i = branch.length - 1; i >= 0; i--) {
    const t = branch[i]!.type
    if (t === 'turn_end' || t === 'branch_point') return false
    if (t === 'user_message' || t === 'assistant_message' || t === 'tool_result') return true
  }
  return false
}
