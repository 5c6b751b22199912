import type { ApprovalAnswer, ApprovalRequest, SpendApproval } from '../../../../shared/entries'

/**
 * Pure descriptions of approval questions and answers, in words a person reads at a glance:
 * what the agent wants to do, which rule made it ask, what "allow for session" would add, and the
 * one-line record an answered question collapses to.
 */

export type RequestKind = 'command' | 'edit' | 'write' | 'other'

export interface RequestDescription {
  kind: RequestKind
  /** What the agent wants to do: "Run a command", "Edit src/a.ts", "Write new file notes.md". */
  title: string
  /** One short line naming the call (the card's accessible name, the answered record). */
  summary: string
  /** For file tools: the path, relative to the workspace when it lies inside it. */
  path: string | null
  /** For bash: the command line. */
  command: string | null
}

/** Longest command quoted in a one-line summary, in characters. */
const SUMMARY_COMMAND_CHARS = 60

function stringField(args: unknown, key: string): string | null {
  if (typeof args !== 'object' || args === null) return null
  const value = (args as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : null
}

/** Collapse whitespace and cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** Resolve `.` and `..` segments of a `/`-separated path (no file system access). */
function normalize(path: string): string {
  const absolute = path.startsWith('/')
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop()
    else if (part === '..' && absolute) continue
    else out.push(part)
  }
  return `${absolute ? '/' : ''}${out.join('/')}`
}

/**
 * A path as the engine's rules see it: relative to the workspace root when inside it (`.` for the
 * root itself), else as given (normalized). Mirrors the engine's `relative(root, resolve(p))`.
 */
export function workspacePath(path: string, workspaceRoot: string | null): string {
  const p = normalize(path)
  if (!path.startsWith('/')) return p || '.'
  if (!workspaceRoot) return p
  const root = normalize(workspaceRoot).replace(/\/+$/, '')
  if (p === root) return '.'
  return p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p
}

/**
 * Describe a request in words. `fileExists` (for `write`) says whether the target exists; null or
 * absent when unknown, and then the title does not claim either.
 */
export function describeRequest(
  request: Pick<ApprovalRequest, 'tool' | 'arguments'>,
  opts: { workspaceRoot?: string | null; fileExists?: boolean | null } = {},
): RequestDescription {
  const args = request.arguments
  const rawPath = stringField(args, 'path')
  const path = rawPath === null ? null : workspacePath(rawPath, opts.workspaceRoot ?? null)
  const base = { path, command: null }
  switch (request.tool) {
    case 'bash': {
      const command = stringField(args, 'command') ?? ''
      return {
        kind: 'command',
        title: 'Run a command',
        summary: command ? `Run ${shorten(command, SUMMARY_COMMAND_CHARS)}` : 'Run a command',
        path: null,
        command,
      }
    }
    case 'edit': {
      const creates = stringField(args, 'old_string') === ''
      const title = path ? `${creates ? 'Create' : 'Edit'} ${path}` : 'Edit a file'
      return { ...base, kind: 'edit', title, summary: title }
    }
    case 'write': {
      const verb =
        opts.fileExists === true
          ? 'Overwrite'
          : opts.fileExists === false
            ? 'Write new file'
            : 'Write'
      const title = path ? `${verb} ${path}` : 'Write a file'
      return { ...base, kind: 'write', title, summary: title }
    }
    case 'read': {
      const title = path ? `Read ${path}` : 'Read a file'
      return { ...base, kind: 'other', title, summary: title }
    }
    case 'ls': {
      const title = `List ${path ?? 'the workspace'}`
      return { ...base, kind: 'other', title, summary: title }
    }
    case 'grep': {
      const pattern = stringField(args, 'pattern')
      const title = pattern ? `Search for “${shorten(pattern, 40)}”` : 'Search the files'
      return { ...base, kind: 'other', title, summary: title }
    }
    case 'glob': {
      const pattern = stringField(args, 'pattern')
      const title = pattern ? `Find files matching ${shorten(pattern, 40)}` : 'Find files'
      return { ...base, kind: 'other', title, summary: title }
    }
    default: {
      const title = `Use the ${request.tool} tool`
      return { ...base, kind: 'other', title, summary: path ? `${title} on ${path}` : title }
    }
  }
}

const SOURCE_LABELS: Record<string, string> = {
  user: 'user rule',
  workspace: 'workspace rule',
  session: 'session rule',
}

/** Where a rule came from, in words: "ask mode", "workspace rule". */
export function ruleSourceLabel(source: string, mode: ApprovalRequest['mode']): string {
  if (source === 'builtin') return mode ? `${mode} mode` : 'mode'
  return SOURCE_LABELS[source] ?? `${source} rule`
}

/**
 * The deciding rule in one line, e.g. `bash: rm → ask (workspace rule)`; null when no rule
 * decided (a built-in safeguard did, and the reason says which).
 */
export function ruleLabel(request: Pick<ApprovalRequest, 'rule' | 'mode'>): string | null {
  const { rule } = request
  if (!rule) return null
  const tool = rule.tool === '*' ? 'any tool' : rule.tool
  return `${tool}: ${rule.pattern} → ${rule.action} (${ruleSourceLabel(rule.source, request.mode)})`
}

export interface SessionRulePreview {
  tool: string
  /** The rule's pattern; null when it cannot be derived here (the engine still adds one). */
  pattern: string | null
  /** What approving for the session will allow, in words. */
  text: string
}

/**
 * The session rule "Approve for session" adds, derived as the engine derives it: for bash the
 * first subcommand that asked (its argv as a command prefix), for file tools the file, for other
 * tools every call of the tool.
 */
export function sessionRulePreview(
  request: Pick<ApprovalRequest, 'tool' | 'arguments' | 'subcommands'>,
  workspaceRoot: string | null,
): SessionRulePreview {
  if (request.tool === 'bash') {
    const subs = request.subcommands
    const asking = subs?.find((s) => s.action !== 'allow') ?? subs?.[0]
    const pattern = asking?.argv.join(' ') || stringField(request.arguments, 'command') || '*'
    return {
      tool: 'bash',
      pattern,
      text: `Also allows commands starting with “${shorten(pattern, 80)}” for the rest of this session.`,
    }
  }
  const path = stringField(request.arguments, 'path')
  if (path !== null) {
    const rel = workspacePath(path, workspaceRoot)
    if (rel.startsWith('/') && !workspaceRoot) {
      return {
        tool: request.tool,
        pattern: null,
        text: 'Also allows this exact call for the rest of this session.',
      }
    }
    const verb =
      request.tool === 'edit'
        ? 'edits and writes of'
        : request.tool === 'write'
          ? 'writes of'
          : `${request.tool} calls on`
    return {
      tool: request.tool,
      pattern: rel,
      text: `Also allows ${verb} ${rel} for the rest of this session.`,
    }
  }
  return {
    tool: request.tool,
    pattern: '*',
    text: `Also allows every ${request.tool} call for the rest of this session.`,
  }
}

export type AnswerTone = 'approved' | 'session' | 'rejected' | 'stopped' | 'settled' | 'withdrawn'

export interface AnswerSummary {
  tone: AnswerTone
  /** The one-line record: "Approved", "Rejected: use a test instead", … */
  text: string
}

/** The one-line record an answered question collapses to. */
export function answerSummary(
  answer: Pick<ApprovalAnswer, 'answer' | 'feedback' | 'rule' | 'coveredBy' | 'withdrawn'>,
): AnswerSummary {
  const feedback = answer.feedback?.trim()
  if (answer.withdrawn) return { tone: 'withdrawn', text: 'Withdrawn — the run moved on' }
  if (answer.coveredBy) return { tone: 'settled', text: 'Settled by a session rule' }
  switch (answer.answer) {
    case 'allow_once':
      return { tone: 'approved', text: 'Approved' }
    case 'allow_session':
      return {
        tone: 'session',
        text: answer.rule
          ? `Approved for this session (rule ${answer.rule.tool}: ${answer.rule.pattern})`
          : 'Approved for this session',
      }
    case 'deny':
      return { tone: 'rejected', text: feedback ? `Rejected: ${feedback}` : 'Rejected' }
    case 'deny_stop':
      return {
        tone: 'stopped',
        text: feedback ? `Rejected and stopped: ${feedback}` : 'Rejected and stopped',
      }
  }
}

/** Approval questions of a session still waiting for the user (for badges and counters). */
export function pendingApprovalCount(
  live: { pendingApprovals: readonly string[] } | null | undefined,
): number {
  return live?.pendingApprovals.length ?? 0
}

/** As the engine writes amounts: cents, or four decimals under a dollar. */
function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 4 : 2)}`
}

/** The limits a spend approval set, in words: "up to $4.00 for this session, $40.00 today". */
export function spendText(
  approval: Pick<SpendApproval, 'sessionLimitUsd' | 'dayLimitUsd'>,
): string {
  const parts: string[] = []
  if (approval.sessionLimitUsd !== undefined)
    parts.push(`${usd(approval.sessionLimitUsd)} for this session`)
  if (approval.dayLimitUsd !== undefined) parts.push(`${usd(approval.dayLimitUsd)} today`)
  return parts.length
    ? `You allowed spending past the cap: up to ${parts.join(', ')}.`
    : 'You allowed spending past the cap.'
}
