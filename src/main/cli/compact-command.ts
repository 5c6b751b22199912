import { shortTokens } from '../../shared/tokens'
import type { CliIo } from './cli'
import type { CliCall } from './checkpoints-command'

export class CompactUsageError extends Error {}

/**
 * `paddock compact --session ID [--focus TEXT] [--model REF]`: summarise the session's older
 * conversation now, as `/compact` does in the app. The session must be idle; the raw history stays
 * in its log. `--json` prints the `sessions.compact` result with the session id.
 */
export async function runCompact(
  flags: { session?: string; focus?: string; model?: string; json: boolean },
  call: CliCall,
  io: CliIo,
): Promise<number> {
  if (!flags.session) throw new CompactUsageError('compact needs --session ID')
  if (flags.focus !== undefined && !flags.focus.trim()) {
    throw new CompactUsageError('--focus needs some text (what the summary should keep)')
  }
  if (!flags.json) io.err('Compacting: the model is summarising the conversation…\n')
  const result = await call('sessions.compact', {
    sessionId: flags.session,
    ...(flags.focus !== undefined ? { focus: flags.focus } : {}),
    ...(flags.model !== undefined ? { model: flags.model } : {}),
  })
  if (flags.json) {
    io.out(`${JSON.stringify({ sessionId: flags.session, ...result }, null, 2)}\n`)
    return 0
  }
  io.out(
    `Compacted session ${flags.session}: ${shortTokens(result.tokensBefore)} → ${shortTokens(result.tokensAfter)} tokens ` +
      `(${result.replacedCount} ${result.replacedCount === 1 ? 'message' : 'messages'} summarised; the log keeps them all).\n`,
  )
  return 0
}
