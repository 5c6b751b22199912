import picomatch from 'picomatch'
import { z } from 'zod'

/**
 * Permissions as data. A rule says what happens to calls of a tool whose target matches a pattern:
 * a path glob (relative to the workspace) for file tools, a command prefix for `bash`. Among all
 * sources, the last matching rule wins.
 */
export const ActionSchema = z.enum(['allow', 'ask', 'deny'])
export type Action = z.infer<typeof ActionSchema>

export const RuleSchema = z
  .object({
    /** A tool name, `*` for every tool, or `edit` for every tool that changes files. */
    tool: z.string().min(1).max(64),
    /** Path glob for file tools, command prefix for bash, `*` for anything. */
    pattern: z.string().min(1).max(1000),
    action: ActionSchema,
  })
  .strict()
export type RuleData = z.infer<typeof RuleSchema>

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
  return rule.tool === 'edit' && FILE_CHANGING_TOOLS.has(tool)
}

/** Does a path glob rule match a workspace-relative path? `*` matches everything. */
export function pathMatches(pattern: string, relPath: string): boolean {
  if (pattern === '*' || pattern === '**') return true
  return picomatch(pattern, { dot: true })(relPath)
}

/** The workspace's `.paddock/permissions.json`. */
export const WorkspacePermissionsSchema = z.object({ rules: z.array(RuleSchema) }).strict()
