import type { PaddockEvent } from '../../shared/events'
import { parseEntry } from '../../shared/entries'
import type { CompactionReason } from '../../shared/entries'
import { shortTokens } from '../../shared/tokens'
import { modelSwitchNote } from '../../shared/model-switch'
import type { CliIo } from './cli'

/** How `paddock run` prints a run: JSON lines (`--json`), or the answer on stdout and the rest on stderr. */

export function jsonPrinter(io: CliIo): (event: PaddockEvent) => void {
  return (event) => io.out(`${JSON.stringify(event)}\n`)
}

/** Text as it streams on stdout; tool activity on stderr, so stdout is the answer alone. */
export function humanPrinter(io: CliIo): (event: PaddockEvent) => void {
  let midLine = false
  let saidTakenBy = false
  return (event) => {
    if (event.type === 'turn.delta' && event.kind === 'text') {
      io.out(event.text)
      midLine = !event.text.endsWith('\n')
      return
    }
    if (event.type === 'turn.state' && event.state === 'compacting') {
      if (midLine) {
        io.out('\n')
        midLine = false
      }
      io.err('… compacting: the model is summarising the older conversation to fit its window\n')
      return
    }
    if (event.type === 'turn.state' && event.state === 'retrying') {
      io.err(
        `… retrying (attempt ${event.attempt}) in ${Math.round((event.retryInMs ?? 0) / 1000)} s: ${event.message ?? ''}\n`,
      )
      return
    }
    if (event.type !== 'entry.appended') return
    const { entry } = event
    const parsed = parseEntry(entry)
    if (!parsed.ok) return
    const e = parsed.entry
    if (e.type === 'assistant_message') {
      if (midLine) {
        io.out('\n')
        midLine = false
      }
      for (const c of e.payload.toolCalls) io.err(`→ ${c.name} ${c.arguments.slice(0, 200)}\n`)
    } else if (e.type === 'checkpoint' && e.payload.taken && e.payload.takenBy) {
      // Checkpoints another Paddock takes for this run, holding the workspace's store: say so once.
      const by = e.payload.takenBy
      if (saidTakenBy || by.pid === process.pid) return
      saidTakenBy = true
      const who = by.name ? `${by.name} (pid ${by.pid} on ${by.host})` : `process ${by.pid}`
      io.err(
        `paddock: this run's checkpoints are taken by ${who}, which holds this workspace's checkpoint store: restore them there\n`,
      )
    } else if (e.type === 'unprotected_run') {
      if (midLine) {
        io.out('\n')
        midLine = false
      }
      io.err(`paddock: ${e.payload.message}\n`)
    } else if (e.type === 'compaction') {
      const c = e.payload
      io.err(
        `paddock: context compacted: ${shortTokens(c.tokensBefore)} → ${shortTokens(c.tokensAfter)} tokens (${COMPACTION_WHY[c.reason]})\n`,
      )
    } else if (e.type === 'model_switch') {
      const note = modelSwitchNote(e.payload)
      if (!note) return
      if (midLine) {
        io.out('\n')
        midLine = false
      }
      const failure = e.payload.failure ? ` (${e.payload.failure.message})` : ''
      io.err(`paddock: model ${e.payload.ref} · ${note}${failure}\n`)
    } else if (e.type === 'prune') {
      io.err(
        `paddock: ${e.payload.outputs.length} old tool output(s) pruned to save context (${shortTokens(e.payload.tokensFreed)} tokens)\n`,
      )
    } else if (e.type === 'tool_result') {
      const first = e.payload.content.split('\n')[0]?.slice(0, 160) ?? ''
      io.err(
        `  ${e.payload.isError ? '✗' : '✓'} ${e.payload.toolName} (${Math.round(e.payload.durationMs)} ms) ${first}\n`,
      )
    }
  }
}

/** Why a compaction happened, as the CLI says it. */
const COMPACTION_WHY: Record<CompactionReason, string> = {
  threshold: 'threshold',
  overflow: 'the provider said it did not fit',
  model_switch: 'model switch',
  manual: 'asked',
}
