import type { StopReason } from '../../../../shared/entries'

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** Token counts as people read them: 950, 12.3k, 128k, 1.05M. */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?'
  if (n < 1000) return String(Math.round(n))
  if (n < 100_000) return `${trimZeros((n / 1000).toFixed(1))}k`
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`
  const m = n / 1_000_000
  return `${trimZeros(m < 10 ? m.toFixed(2) : m.toFixed(1))}M`
}

/** USD with the precision a small amount needs: $0.0042, $0.05, $1.23, $120. */
export function formatCost(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return '?'
  if (usd === 0) return '$0.00'
  if (usd < 0.01) return `$${usd.toFixed(4)}`
  if (usd < 100) return `$${usd.toFixed(2)}`
  return `$${Math.round(usd)}`
}

/** A duration in ms: 420 ms, 1.2 s, 2 min 5 s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${trimZeros((ms / 1000).toFixed(1))} s`
  const s = Math.round(ms / 1000)
  const min = Math.floor(s / 60)
  const rest = s % 60
  return rest ? `${min} min ${rest} s` : `${min} min`
}

/** Whole seconds until `at` (rounded up, never negative): the retry countdown. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}

/** "in 5 s", "in 1 min 5 s", or "now" once it is due. */
export function formatCountdown(at: number, now: number): string {
  const s = secondsUntil(at, now)
  if (s === 0) return 'now'
  if (s < 60) return `in ${s} s`
  const rest = s % 60
  return rest ? `in ${Math.floor(s / 60)} min ${rest} s` : `in ${s / 60} min`
}

/** Why a run stopped, in a few words (after "Run stopped: "). */
export const STOP_LABELS: Record<StopReason, string> = {
  done: 'finished',
  interrupted: 'interrupted',
  aborted: 'stopped by the user',
  error: 'failed',
  max_turns: 'max turns reached',
  context_overflow: 'the conversation is too long for the model',
  spend_cap: 'spend cap reached',
}

/** The line a stopped run leaves in the transcript. */
export const STOP_HEADLINES: Record<StopReason, string> = {
  done: 'Run finished',
  interrupted: 'Run interrupted',
  aborted: 'Run stopped by the user',
  error: 'Run failed',
  max_turns: 'Run stopped: max turns reached',
  context_overflow: 'Run stopped: the conversation is too long for the model',
  spend_cap: 'Run paused: spend cap reached',
}

/** What the screen reader hears when a run stops. */
export function stopAnnouncement(reason: StopReason, message: string | null): string {
  if (reason === 'done') return 'Run finished'
  const said = `Run stopped: ${STOP_LABELS[reason]}`
  return message ? `${said}. ${message}` : said
}
