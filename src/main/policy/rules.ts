import picomatch from 'picomatch'
import { z } from 'zod'
import { RuleSchema } from '../../shared/contract/policy'
import type { ActionSchema, RuleData } from '../../shared/contract/policy'

/**
 * Permissions as data: the rule schema is the contract's (`src/shared/contract/policy.ts`), so the
 * engine, the CLI and the Settings view validate a rule the same way. Among all sources, the last
 * matching rule wins.
 */
export { ActionSchema, RuleSchema } from '../../shared/contract/policy'
export type Action = z.infer<typeof ActionSchema>
export type { RuleData }

/** Where a rule came from, lowest to highest precedence. */
export const RULE_SOURCES = ['builtin', 'user', 'workspace', 'session'] as const
export type RuleSource = (typeof RULE_SOURCES)[number]

export interface Rule extends RuleData {
  source: RuleSource
  /** Why it exists, shown with a decision ("plan mode: no file changes"). */
  note?: string
}

/** Tools that change files; `edit` in a rule's `tool` names all of them. */
export const FILE_CHANGING_TOOLS: ReadonlySet<string> = new Set(['write', 'edit'])
/** Tools that only read. */
export const READING_TOOLS: ReadonlySet<string> = new Set(['read', 'grep', 'glob', 'ls'])

export function ruleAppliesToTool(rule: RuleData, tool: string): boolean {
  if (rule.tool === '*' || rule.tool === tool) return true
  // A glob names several tools: `mcp__github__*` is every tool of the github MCP server.
  if (rule.tool.includes('*') && picomatch.isMatch(tool, rule.tool)) return true
  return rule.tool === 'edit' && FILE_CHANGING_TOOLS.has(tool)
}

/** Does a path glob rule match a workspace-relative path? `*` matches everything. */
export function pathMatches(pattern: string, relPath: string): boolean {
  if (pattern === '*' || pattern === '**') return true
  return picomatch(pattern, { dot: true })(relPath)
}

/** The workspace's `.paddock/permissions.json`. */
export const WorkspacePermissionsSchema = z.object({ rules: z.array(RuleSchema) }).strict()
