import type { TerminalExit, TerminalInfo } from '../../../../shared/terminals'

/**
 * The bars a terminal shows above its screen, derived from the host's state of it. Pure, so the
 * wording is tested without a browser.
 */
export type TerminalNotice =
  | { kind: 'starting'; text: string }
  | { kind: 'exited'; text: string }
  | { kind: 'failed'; text: string }
  | { kind: 'restored'; text: string }
  | { kind: 'waiting'; text: string }

export const AGENT_WAITING_TEXT = 'The agent is waiting for your command to finish'

/** Why a shell ended, in one sentence: the host's reason, or one made from the code or signal. */
export function exitText(exit: TerminalExit | null): string {
  const reason = exit?.reason.trim() ?? ''
  if (reason !== '') return /[.!?…]$/.test(reason) ? reason : `${reason}.`
  if (exit?.signal) return `The shell was ended by ${exit.signal}.`
  if (exit?.code !== null && exit?.code !== undefined) {
    return `The shell exited with code ${exit.code}.`
  }
  return 'The shell has exited.'
}

/** Why a shell could not start, saying so once ("Could not start /bin/zsh: …"). */
export function failureText(exit: TerminalExit | null): string {
  const reason = exit?.reason.trim() ?? ''
  if (reason === '') return 'The shell could not start.'
  const ended = /[.!?…]$/.test(reason) ? reason : `${reason}.`
  return /^(could not|cannot|can't|couldn't) start/i.test(reason)
    ? ended[0]!.toUpperCase() + ended.slice(1)
    : `The shell could not start: ${ended}`
}

/** When restored scrollback was saved, for a person ("21 Nov 2026, 14:03"). */
export type DateFormatter = (ms: number) => string

export const formatSavedAt: DateFormatter = (ms) =>
  new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** The notices to show for a terminal, most important first. */
export function terminalNotices(
  info: TerminalInfo,
  format: DateFormatter = formatSavedAt,
): TerminalNotice[] {
  const notices: TerminalNotice[] = []
  if (info.status === 'failed') {
    notices.push({ kind: 'failed', text: failureText(info.exit) })
  } else if (info.status === 'exited') {
    notices.push({ kind: 'exited', text: exitText(info.exit) })
  } else if (info.status === 'starting') {
    notices.push({ kind: 'starting', text: `Starting ${shellName(info.shell)}…` })
  }
  if (info.agentWaiting) notices.push({ kind: 'waiting', text: AGENT_WAITING_TEXT })
  if (info.restoredScrollback) {
    const when = info.restoredAt !== null ? ` from ${format(info.restoredAt)}` : ''
    notices.push({
      kind: 'restored',
      text: `Scrollback restored${when}, before Paddock restarted. The shell is a new one.`,
    })
  }
  return notices
}

/** "bash" from "/bin/bash", "pwsh" from "C:\\…\\pwsh.exe"; "the shell" when unknown. */
export function shellName(path: string): string {
  const base =
    path
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.exe$/i, '') ?? ''
  return base !== '' ? base : 'the shell'
}
