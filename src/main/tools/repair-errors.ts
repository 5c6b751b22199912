import type { z } from 'zod'
import type { Repair } from './repair'
import { normaliseName } from './repair-names'
import type { JsonSchema } from './repair-schema'
import { branches, isPlainObject, itemsBranch, kindsOf, objectBranch } from './repair-schema'
import { levenshtein } from './similar'

/**
 * A call the repairs refuse to guess about: two readings are possible (two keys giving one
 * argument different values, old_string matching with and without line numbers, a path that maps
 * to two workspace paths). Its message, naming both readings, is what the model reads.
 */
export class RepairRefusal extends Error {
  override name = 'RepairRefusal'
}

/**
 * The tool result a model reads when its arguments stay invalid after every repair: one line per
 * invalid field saying what was expected and what came, then the repairs already tried, e.g.
 *
 *   Invalid arguments for edit:
 *   - old_string: expected a string, got a number (12)
 *   - path: required, missing (you sent "file_path"; the argument is named "path")
 *   Repairs tried: file_path: not an accepted argument (…) → dropped.
 */
export function invalidArgumentsMessage(
  toolName: string,
  value: unknown,
  issues: readonly z.core.$ZodIssue[],
  schema: JsonSchema | undefined,
  repairs: readonly Repair[],
): string {
  const lines = new Map<string, string>()
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const label = formatPath([...issue.path, key])
        if (!lines.has(label)) lines.set(label, `- ${label}: not an accepted argument`)
      }
      continue
    }
    const label = formatPath(issue.path)
    if (lines.has(label)) continue
    lines.set(label, `- ${label}: ${problem(issue, value, schema, repairs)}`)
  }
  const out = [`Invalid arguments for ${toolName}:`, ...lines.values()]
  if (lines.size === 0) out.push('- (arguments): rejected by the schema')
  if (repairs.length) out.push(`Repairs tried: ${repairs.map((r) => r.detail).join('; ')}.`)
  return out.join('\n')
}

function problem(
  issue: z.core.$ZodIssue,
  value: unknown,
  schema: JsonSchema | undefined,
  repairs: readonly Repair[],
): string {
  const got = valueAt(value, issue.path)
  if (got === undefined && issue.path.length > 0) {
    return `required, missing${renamedHint(issue.path, repairs)}`
  }
  const fieldSchema = schema ? schemaAt(schema, issue.path) : undefined
  const expected =
    issue.code === 'custom' || !schema || !fieldSchema
      ? undefined
      : describeExpected(fieldSchema, schema)
  if (expected === undefined) return `${issue.message} (got ${describeValue(got)})`
  return `expected ${expected}, got ${describeValue(got)}`
}

/** For a missing field: the dropped unknown key that was probably meant for it, if any. */
function renamedHint(path: readonly PropertyKey[], repairs: readonly Repair[]): string {
  const field = String(path[path.length - 1])
  const parent = formatPath(path.slice(0, -1))
  for (const repair of repairs) {
    if (repair.kind !== 'dropped_unknown_key' || repair.field === undefined) continue
    const dot = repair.field.lastIndexOf('.')
    const sentParent = dot < 0 ? '(arguments)' : repair.field.slice(0, dot)
    const sent = repair.field.slice(dot + 1)
    if (sentParent === parent && similarNames(sent, field)) {
      return ` (you sent "${sent}"; the argument is named "${field}")`
    }
  }
  return ''
}

function similarNames(a: string, b: string): boolean {
  const x = normaliseName(a)
  const y = normaliseName(b)
  if (x.length < 2 || y.length < 2) return false
  return x.includes(y) || y.includes(x) || levenshtein(x, y, 2) <= 2
}

/** `(arguments)` for the whole object, else `opts.a` / `paths[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(arguments)'
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value
  for (const part of path) {
    if (Array.isArray(current) && typeof part === 'number') current = current[part]
    else if (isPlainObject(current) && typeof part === 'string' && Object.hasOwn(current, part)) {
      current = current[part]
    } else return undefined
  }
  return current
}

function schemaAt(root: JsonSchema, path: readonly PropertyKey[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = root
  for (const part of path) {
    if (current === undefined) return undefined
    if (typeof part === 'number') current = itemsBranch(current, root)
    else {
      const properties: Record<string, JsonSchema> = objectBranch(current, root)?.properties ?? {}
      const key = String(part)
      current = Object.hasOwn(properties, key) ? properties[key] : undefined
    }
  }
  return current
}

/** What a schema accepts, in words: `an integer from 1 to 600000`, `a non-empty string`. */
export function describeExpected(schema: JsonSchema, root: JsonSchema): string | undefined {
  const parts = branches(schema, root).map((b) => describeBranch(b, root))
  if (parts.some((p) => p === undefined)) return undefined
  return [...new Set(parts)].join(' or ')
}

function describeBranch(s: JsonSchema, root: JsonSchema): string | undefined {
  if (s.enum) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`
  if ('const' in s) return JSON.stringify(s.const)
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]
  if (types.length !== 1) {
    const each = types.map((type) => describeBranch({ ...s, type }, root))
    return types.length && !each.includes(undefined) ? each.join(' or ') : undefined
  }
  switch (types[0]) {
    case 'string':
      if (s.minLength === 1 && s.maxLength === undefined) return 'a non-empty string'
      return `a string${range(s.minLength, s.maxLength, ' characters')}`
    case 'integer':
      return `an integer${bounds(s)}`
    case 'number':
      return `a number${bounds(s)}`
    case 'boolean':
      return 'true or false'
    case 'null':
      return 'null'
    case 'array': {
      const items = itemsBranch(s, root)
      const kinds = items ? [...kindsOf(items, root)] : []
      const of = kinds.length === 1 ? ` of ${kinds[0] === 'null' ? 'nulls' : `${kinds[0]}s`}` : ''
      return `${s.minItems === 1 ? 'a non-empty array' : 'an array'}${of}`
    }
    case 'object':
      return 'an object'
    default:
      return undefined
  }
}

function bounds(s: JsonSchema): string {
  const low = s.exclusiveMinimum ?? s.minimum
  const high = s.exclusiveMaximum ?? s.maximum
  const lowOp = s.exclusiveMinimum === undefined ? '≥' : '>'
  const highOp = s.exclusiveMaximum === undefined ? '≤' : '<'
  const hasLow = low !== undefined && Math.abs(low) < Number.MAX_SAFE_INTEGER
  const hasHigh = high !== undefined && Math.abs(high) < Number.MAX_SAFE_INTEGER
  if (hasLow && hasHigh && lowOp === '≥' && highOp === '≤') return ` from ${low} to ${high}`
  if (hasLow && hasHigh) return ` ${lowOp} ${low} and ${highOp} ${high}`
  if (hasLow) return ` ${lowOp} ${low}`
  if (hasHigh) return ` ${highOp} ${high}`
  return ''
}

function range(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return ` of ${min} to ${max}${unit}`
  if (min !== undefined && min > 0) return ` of at least ${min}${unit}`
  if (max !== undefined) return ` of at most ${max}${unit}`
  return ''
}

/** What came, in words, with the value itself when short: `a number (12)`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') {
    if (value === '') return 'an empty string'
    const shown = value.length > 60 ? `${value.slice(0, 57)}…` : value
    return `a string (${JSON.stringify(shown)})`
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return `a ${typeof value} (${String(value)})`
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array'
    return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    if (keys.length === 0) return 'an empty object'
    const shown = keys.length > 6 ? [...keys.slice(0, 6), '…'] : keys
    return `an object with keys ${shown.join(', ')}`
  }
  return typeof value
}
