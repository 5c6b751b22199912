import type { Rule } from './rules'

export const MODES = ['ask', 'auto-edit', 'full-auto', 'plan'] as const
export type Mode = (typeof MODES)[number]

/**
 * Modes are rulesets (lowest precedence, before user, workspace and session rules):
 * - `ask` (default): reads allowed (and read-only shell commands); edits and other commands ask;
 * - `auto-edit`: edits inside the workspace allowed too; other commands ask;
 * - `full-auto`: everything inside the workspace allowed;
 * - `plan`: no file changes (edits refused); only read-only commands (the plan allowlist) run.
 * Safeguards no mode removes are applied on top: outside the workspace, secrets, Paddock's data
 * and credential folders, the environment, `.git/` (`decide.ts`, `command-guard.ts`).
 */
export function modeRules(mode: Mode): Rule[] {
  const r = (tool: string, pattern: string, action: Rule['action'], note: string): Rule => ({
    tool,
    pattern,
    action,
    source: 'builtin',
    note,
  })
  // shell_read only reads what the agent's own command printed; shell_write and shell_interrupt
  // act on a running command like bash does, so they take the mode's default for commands.
  // mcp_search only lists the MCP tools Paddock knows; what they do is judged at `mcp_call`.
  const reads = ['read', 'grep', 'glob', 'ls', 'shell_read', 'mcp_search'].map((t) =>
    r(t, '*', 'allow', 'reading is allowed'),
  )
  switch (mode) {
    case 'ask':
      return [r('*', '*', 'ask', 'ask mode: changes and commands ask'), ...reads]
    case 'auto-edit':
      return [
        r('*', '*', 'ask', 'auto-edit mode: commands ask'),
        ...reads,
        r('edit', '*', 'allow', 'auto-edit mode: edits inside the workspace are allowed'),
      ]
    case 'full-auto':
      return [r('*', '*', 'allow', 'full-auto mode: everything inside the workspace is allowed')]
    case 'plan':
      return [
        r('*', '*', 'deny', 'plan mode: no changes'),
        ...reads,
        r('edit', '*', 'deny', 'plan mode: no file changes'),
      ]
  }
}
