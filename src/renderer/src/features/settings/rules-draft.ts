import type { RuleData } from '../../../../shared/contract'
import { RuleSchema } from '../../../../shared/contract'

/** One row of the rules table as typed: any text, checked only when asked. */
export interface DraftRule {
  /** A stable key for React and focus, not stored. */
  id: number
  tool: string
  pattern: string
  action: RuleData['action']
}

/** Why a row's fields are invalid, by field, in the words of the rule schema. */
export type RowErrors = Partial<Record<'tool' | 'pattern' | 'action', string>>

let nextId = 1

export function draftOf(rules: readonly RuleData[]): DraftRule[] {
  return rules.map((r) => ({ id: nextId++, ...r }))
}

export function emptyRule(): DraftRule {
  return { id: nextId++, tool: '', pattern: '', action: 'allow' }
}

/** Check one row with the schema the host uses. */
export function rowErrors(row: DraftRule): RowErrors {
  const parsed = RuleSchema.safeParse({ tool: row.tool, pattern: row.pattern, action: row.action })
  if (parsed.success) return {}
  const errors: RowErrors = {}
  for (const issue of parsed.error.issues) {
    const field = issue.path[0]
    if ((field === 'tool' || field === 'pattern' || field === 'action') && !errors[field])
      errors[field] = issue.message
  }
  return errors
}

/** The rows as rules, or null when any row is invalid. */
export function rulesOf(rows: readonly DraftRule[]): RuleData[] | null {
  const rules: RuleData[] = []
  for (const row of rows) {
    const parsed = RuleSchema.safeParse({
      tool: row.tool,
      pattern: row.pattern,
      action: row.action,
    })
    if (!parsed.success) return null
    rules.push(parsed.data)
  }
  return rules
}

/** True when the rows say the same as the stored rules, in the same order. */
export function sameRules(rows: readonly DraftRule[], stored: readonly RuleData[]): boolean {
  return (
    rows.length === stored.length &&
    rows.every((r, i) => {
      const s = stored[i]!
      return r.tool === s.tool && r.pattern === s.pattern && r.action === s.action
    })
  )
}

/** Move the row at `index` by `delta` places (within bounds). */
export function moved<T>(rows: readonly T[], index: number, delta: number): T[] {
  const to = index + delta
  if (to < 0 || to >= rows.length) return [...rows]
  const next = [...rows]
  const [row] = next.splice(index, 1)
  next.splice(to, 0, row!)
  return next
}

/** The tools a rule names most often, offered in the tool field's list. */
export const RULE_TOOLS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'bash', label: 'commands (pattern: a command prefix)' },
  { value: 'edit', label: 'every tool that changes files' },
  { value: 'write', label: 'writing files' },
  { value: 'read', label: 'reading files' },
  { value: 'grep', label: 'searching file contents' },
  { value: 'glob', label: 'finding files by name' },
  { value: 'ls', label: 'listing folders' },
  { value: '*', label: 'every tool' },
]
