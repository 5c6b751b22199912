import { basename, isAbsolute, relative, resolve, sep } from 'node:path'
import { isSecretFileName } from '../core/secret-files'
import { MCP_CALL, innerToolName, isMcpToolName } from '../mcp/names'
import { isWithin } from '../core/within'
import { commandGuard, guardScope, noteAssignments } from './command-guard'
import type { Mode } from './modes'
import { modeRules } from './modes'
import type { Action, Rule } from './rules'
import { pathMatches, ruleAppliesToTool } from './rules'
import { analyseCommand, commandPrefixMatches } from './shell-analysis'
import { isReadOnly } from './plan-allowlist'
import type { PolicyPlaces } from './protected-paths'
import { judgePath, realPath } from './protected-paths'

export interface SubcommandDecision {
  text: string
  argv: string[]
  action: Action
  rule: Rule | null
  /** Why the UI should flag it: writes a file, substitution, destructive, … */
  risky: string[]
  reason: string
}

export interface Decision {
  action: Action
  /** The rule that decided (null when a built-in safeguard did). */
  rule: Rule | null
  reason: string
  /** For bash: each subcommand and its own decision. */
  subcommands?: SubcommandDecision[]
}

export interface PolicyContext extends PolicyPlaces {
  mode: Mode
  /** User, workspace (when trusted) and session rules, lowest precedence first. */
  rules: readonly Rule[]
  /** True for an MCP tool its server marks read-only (`readOnlyHint`): plan mode allows it. */
  readOnlyTool?: (tool: string) => boolean
}

/**
 * Decide a tool call: allow, ask or deny, with the rule that decided and why. Rules from every
 * source are considered together, last match wins; then the safeguards no mode removes.
 */
export function decide(tool: string, input: unknown, ctx: PolicyContext): Decision {
  const rules = [...modeRules(ctx.mode), ...ctx.rules]
  if (tool === 'bash') return decideCommand(commandOf(input), rules, ctx)
  const mcp = tool === MCP_CALL ? innerToolName(input) : tool
  if (mcp !== undefined && isMcpToolName(mcp)) return decideMcp(mcp, rules, ctx)
  const target = pathOf(input)
  const rel = target === undefined ? '.' : relPath(ctx.workspaceRoot, target)
  const rule = lastMatch(rules, tool, (r) => pathMatches(r.pattern, rel))
  const base: Decision = {
    action: rule?.action ?? 'ask',
    rule,
    reason: rule ? describe(rule) : 'no rule matches',
  }
  if (base.action === 'deny') return base
  const abs =
    target === undefined ? null : isAbsolute(target) ? target : resolve(ctx.workspaceRoot, target)
  if (abs !== null && readsOwnSpill(tool, abs, ctx)) {
    return { action: 'allow', rule: null, reason: "it reads this session's saved tool output" }
  }
  if (abs !== null && readsSkillFolder(tool, abs, ctx)) {
    return { action: 'allow', rule: null, reason: 'it reads an installed skill' }
  }
  if (ctx.mode === 'full-auto' && abs !== null) {
    const vault = judgePath(abs, ctx)
    if (vault?.level === 'vault') {
      return { action: 'deny', rule: null, reason: `full-auto mode refuses it: ${vault.reason}` }
    }
  }
  const guard = pathSafeguard(rel)
  if (guard) {
    // Only an explicit session choice for this very path overrides a safeguard.
    const exact = [...ctx.rules]
      .reverse()
      .find((r) => r.source === 'session' && ruleAppliesToTool(r, tool) && r.pattern === rel)
    if (exact) return { action: exact.action, rule: exact, reason: describe(exact) }
    return { action: 'ask', rule: null, reason: guard }
  }
  return base
}

/**
 * A `read` of a file in the session's own spill folder: a tool output the model was shown in part
 * and told to page through. Allowed in every mode, though it lies outside the workspace and inside
 * the data folder; other sessions' spill files and the rest of the data folder stay protected.
 * The file must really be there: a link a command left in the folder is judged like its target.
 */
function readsOwnSpill(tool: string, abs: string, ctx: PolicyContext): boolean {
  const spill = ctx.spillDir
  if (tool !== 'read' || spill === undefined || !isWithin(spill, abs)) return false
  return isWithin(realPath(spill), realPath(abs))
}

/**
 * A `read` of a file in one of the user's skills folders, which the skills index points the
 * model at. Judged by the real path too, so a link placed there cannot lead elsewhere; a file
 * that looks like a secret, or that really is in a protected folder, is judged as usual.
 */
function readsSkillFolder(tool: string, abs: string, ctx: PolicyContext): boolean {
  if (tool !== 'read' || isSecretFileName(basename(abs))) return false
  const roots = ctx.readRoots ?? []
  const real = realPath(abs)
  if (!roots.some((r) => isWithin(r, abs)) || !roots.some((r) => isWithin(realPath(r), real))) {
    return false
  }
  const level = judgePath(real, ctx)?.level
  return level !== 'vault' && level !== 'secret'
}

/**
 * An MCP tool: rules name it (`mcp__github__*`, `mcp__github__create_issue`) with the pattern `*`
 * (its arguments are not workspace paths). Without a rule of the user's, the mode decides: ask in
 * ask and auto-edit, allow in full-auto; plan mode allows only a tool its server marks read-only.
 */
function decideMcp(tool: string, rules: Rule[], ctx: PolicyContext): Decision {
  const rule = lastMatch(rules, tool, (r) => r.pattern === '*' || r.pattern === '**')
  if (rule?.source === 'builtin' && ctx.mode === 'plan') {
    return ctx.readOnlyTool?.(tool)
      ? { action: 'allow', rule, reason: 'plan mode: its MCP server marks it read-only' }
      : {
          action: 'deny',
          rule,
          reason: 'plan mode refuses it: its MCP server does not mark it read-only',
        }
  }
  return {
    action: rule?.action ?? 'ask',
    rule,
    reason: rule ? describe(rule) : 'no rule matches',
  }
}

function decideCommand(command: string, rules: Rule[], ctx: PolicyContext): Decision {
  const analysis = analyseCommand(command)
  if (!analysis.ok) {
    return {
      action: 'ask',
      rule: null,
      reason: `The command could not be analysed (${analysis.reason}), so it asks.`,
    }
  }
  const scope = guardScope()
  const assigned = new Set<string>()
  const subs: SubcommandDecision[] = analysis.commands.map((cmd) => {
    noteAssignments(cmd, scope, assigned)
    const catastrophe = catastrophic(cmd.argv)
    if (catastrophe) {
      return {
        text: cmd.text,
        argv: cmd.argv,
        action: 'deny',
        rule: null,
        risky: [...cmd.risky, catastrophe],
        reason: catastrophe,
      }
    }
    const rule = lastMatch(
      rules,
      'bash',
      (r) => r.pattern === '*' || commandPrefixMatches(cmd.argv, r.pattern),
    )
    let action: Action = rule?.action ?? 'ask'
    let reason = rule ? describe(rule) : 'no rule matches'
    const chosen = rule?.source === 'session' && rule.pattern === cmd.argv.join(' ')
    const guard = chosen ? null : commandGuard(cmd, ctx, scope)
    const readOnly = guard ? { ok: false as const, why: guard.reason } : isReadOnly(cmd)
    const byModeDefault = rule?.source === 'builtin'
    if (guard && action !== 'deny' && !byModeDefault) {
      // A rule that allows the program does not open a protected path.
      if (ctx.mode === 'plan') action = 'deny'
      else if (ctx.mode !== 'full-auto') action = 'ask'
      reason = `${reason}, but ${guard.reason}`
    }
    if (guard?.fullAuto && ctx.mode === 'full-auto' && action !== 'deny') {
      action = guard.fullAuto
      reason =
        guard.fullAuto === 'deny'
          ? `full-auto mode refuses it: ${guard.reason}`
          : `full-auto mode asks: ${guard.reason}`
    } else if (byModeDefault && ctx.mode === 'plan') {
      action = readOnly.ok ? 'allow' : 'deny'
      reason = readOnly.ok
        ? 'plan mode: a read-only command'
        : `plan mode refuses it: ${readOnly.why}`
    } else if (byModeDefault && action === 'ask') {
      if (readOnly.ok) action = 'allow'
      reason = readOnly.ok
        ? `${ctx.mode} mode: a read-only command`
        : `${ctx.mode} mode asks: ${readOnly.why}`
    }
    const risky = guard?.flag ? [...cmd.risky, guard.reason] : cmd.risky
    return { text: cmd.text, argv: cmd.argv, action, rule, risky, reason }
  })
  const denied = subs.find((s) => s.action === 'deny')
  if (denied)
    return {
      action: 'deny',
      rule: denied.rule,
      reason: `${denied.text}: ${denied.reason}`,
      subcommands: subs,
    }
  const asking = subs.find((s) => s.action === 'ask')
  if (asking)
    return {
      action: 'ask',
      rule: asking.rule,
      reason: `${asking.text}: ${asking.reason}`,
      subcommands: subs,
    }
  const last = subs[subs.length - 1]
  // Writing files and command substitution turn an allow into an ask — except in full-auto, where
  // everything inside the workspace is allowed — and plan mode makes no changes at all.
  if (analysis.writesFiles && ctx.mode === 'plan') {
    return {
      action: 'deny',
      rule: null,
      reason: 'plan mode refuses it: it writes to a file',
      subcommands: subs,
    }
  }
  if (ctx.mode !== 'full-auto' && (analysis.writesFiles || analysis.hasSubstitution)) {
    return {
      action: 'ask',
      rule: null,
      reason: analysis.writesFiles ? 'It writes to a file.' : 'It uses command substitution.',
      subcommands: subs,
    }
  }
  return {
    action: 'allow',
    rule: last?.rule ?? null,
    reason: last?.reason ?? 'nothing to run',
    subcommands: subs,
  }
}

function lastMatch(
  rules: readonly Rule[],
  tool: string,
  matches: (r: Rule) => boolean,
): Rule | null {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!
    if (ruleAppliesToTool(r, tool) && matches(r)) return r
  }
  return null
}

function describe(rule: Rule): string {
  const where = rule.source === 'builtin' ? 'built-in' : `${rule.source} rule`
  return `${where} ${rule.action} ${rule.tool} "${rule.pattern}"${rule.note ? ` (${rule.note})` : ''}`
}

/**
 * The safeguards no mode removes for a workspace-relative path (outside, `.git/`, a secret file):
 * why it always asks, or null. The repair stage asks it too, before it reads a file.
 */
export function pathSafeguard(rel: string): string | null {
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return 'The path is outside the workspace, which always asks.'
  }
  const parts = rel.split(sep)
  if (parts.includes('.git')) return 'The path is inside .git/, which always asks.'
  if (isSecretFileName(basename(rel)))
    return 'The file looks like it holds secrets, which always asks.'
  return null
}

/** Commands that are refused whatever the rules say. */
function catastrophic(argv: string[]): string | null {
  const prog = basename(argv[0] ?? '')
  const args = argv.slice(1)
  if (prog === 'rm') {
    const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive')
    const target = args.find((a) =>
      ['/', '/*', '/.', '~', '~/', '~/*', '$HOME', '${HOME}'].includes(a),
    )
    if (recursive && target) return `destructive: rm -r ${target}`
  }
  if (/^mkfs(\..*)?$/.test(prog)) return 'destructive: formats a filesystem'
  if (prog === 'dd' && args.some((a) => /^of=\/dev\//.test(a)))
    return 'destructive: writes to a device'
  if (['shutdown', 'reboot', 'halt', 'poweroff'].includes(prog))
    return 'destructive: stops the machine'
  return null
}

function commandOf(input: unknown): string {
  const c = (input as { command?: unknown } | null)?.command
  return typeof c === 'string' ? c : ''
}

function pathOf(input: unknown): string | undefined {
  const p = (input as { path?: unknown } | null)?.path
  return typeof p === 'string' ? p : undefined
}

function relPath(root: string, target: string): string {
  const abs = isAbsolute(target) ? target : resolve(root, target)
  return relative(root, abs) || '.'
}
