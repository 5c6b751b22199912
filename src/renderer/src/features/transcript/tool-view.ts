import type { ToolResultRecord } from '../../../../shared/entries'
import type { ApprovalPair } from './rows'

/** Where a tool call is, as its card says it. */
export type ToolStatus =
  | 'running'
  | 'waiting'
  | 'done'
  | 'error'
  | 'denied'
  | 'refused'
  | 'interrupted'
  | 'aborted'
  | 'skipped'
  /** No result and no run to give it one (a log cut short). */
  | 'unfinished'

export const TOOL_STATUS_LABELS: Record<ToolStatus, string> = {
  running: 'running',
  waiting: 'waiting for approval',
  done: 'done',
  error: 'error',
  denied: 'denied',
  refused: 'refused',
  interrupted: 'interrupted',
  aborted: 'aborted',
  skipped: 'skipped',
  unfinished: 'no result',
}

/**
 * The status of a call from what the log says about it; `running` is whether the session's run is
 * still going (a call without a result is then in progress, otherwise it never finished).
 */
export function toolStatus(
  result: ToolResultRecord | null,
  approval: ApprovalPair | null,
  running: boolean,
): ToolStatus {
  if (result) {
    if (result.synthetic) return result.synthetic
    return result.isError ? 'error' : 'done'
  }
  if (approval && approval.answer === null) return running ? 'waiting' : 'unfinished'
  return running ? 'running' : 'unfinished'
}

export interface ArgsView {
  /** One line for the card's header: the path, the command, the pattern… */
  summary: string
  /** The arguments in full, pretty-printed when they are JSON. */
  full: string
}

/** Which argument says the most about a call of each built-in tool, in order of preference. */
const KEY_ARGS: Record<string, readonly string[]> = {
  read: ['path'],
  edit: ['path'],
  write: ['path'],
  ls: ['path'],
  bash: ['command'],
  grep: ['pattern', 'path'],
  glob: ['pattern', 'path'],
}

const SUMMARY_MAX = 200

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > SUMMARY_MAX ? `${flat.slice(0, SUMMARY_MAX - 1)}…` : flat
}

/** A compact and a full view of a call's arguments (JSON text as the model wrote it). */
export function describeArgs(toolName: string, args: string): ArgsView {
  let value: unknown
  try {
    value = JSON.parse(args)
  } catch {
    return { summary: oneLine(args), full: args }
  }
  const full = JSON.stringify(value, null, 2)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { summary: oneLine(full), full }
  }
  const record = value as Record<string, unknown>
  const keys = KEY_ARGS[toolName.toLowerCase()] ?? []
  const picked = keys.map((k) => record[k]).filter((v): v is string => typeof v === 'string')
  if (picked.length > 0) {
    const [first, ...rest] = picked
    return { summary: oneLine(rest.length ? `${first} in ${rest.join(', ')}` : first!), full }
  }
  // Another tool: its first text argument, else the JSON itself.
  const text = Object.values(record).find((v): v is string => typeof v === 'string')
  return { summary: oneLine(text ?? JSON.stringify(record)), full }
}

export interface Truncated {
  text: string
  /** Lines not shown (0 when the text is shown whole). */
  hiddenLines: number
  truncated: boolean
}

/** The first `maxLines` lines of a tool's output (and at most `maxChars` characters of them). */
export function truncateOutput(text: string, maxLines = 20, maxChars = 4000): Truncated {
  const body = text.replace(/\n+$/, '')
  const lines = body.split('\n')
  let shown = lines.slice(0, maxLines).join('\n')
  let cutChars = false
  if (shown.length > maxChars) {
    shown = shown.slice(0, maxChars)
    cutChars = true
  }
  const shownLines = cutChars ? shown.split('\n').length : Math.min(lines.length, maxLines)
  const hiddenLines = lines.length - shownLines
  return { text: shown, hiddenLines, truncated: cutChars || hiddenLines > 0 }
}
