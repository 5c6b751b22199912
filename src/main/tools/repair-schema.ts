import { z } from 'zod'
import type { Repair } from './repair'
import { parseJsonLenient } from './repair-json'
import type { AnyTool } from './types'

/**
 * Field-level repairs of tool arguments, guided by the tool's JSON Schema (the stable view of its
 * zod schema: what a model was shown). Each repair fires only on a value whose type the schema
 * does not accept, so a valid value is never touched. Top-level fields, the fields of a nested
 * object and the items of an array are repaired; deeper levels are left to the final validation.
 */

/** The parts of a JSON Schema (as zod's toJSONSchema writes it) that repairs look at. */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema | JsonSchema[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  minItems?: number
  $ref?: string
  $defs?: Record<string, JsonSchema>
}

/** A JSON value's type in JSON Schema's words; a whole number is an `integer`. */
export type ValueKind = 'null' | 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object'

/** The tool's arguments as JSON Schema (input side), or undefined if zod cannot express it. */
export function toolJsonSchema(tool: AnyTool): JsonSchema | undefined {
  try {
    return z.toJSONSchema(tool.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  } catch {
    // Some schemas (a custom type, say) have no JSON Schema: then only zod judges, unrepaired.
    return undefined
  }
}

export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'boolean'
  return 'object'
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Follow a local `$ref` (`#/$defs/Name`) to the schema it names. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema
  for (let hops = 0; current.$ref?.startsWith('#/') && hops < 10; hops++) {
    let target: unknown = root
    for (const part of current.$ref.slice(2).split('/')) {
      target = isPlainObject(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : {}
    }
    current = isPlainObject(target) ? (target as JsonSchema) : {}
  }
  return current
}

/** The schema's alternatives (anyOf/oneOf branches), or the schema itself. */
export function branches(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const s = resolveRef(schema, root)
  const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? [])]
  return alternatives.length ? alternatives.flatMap((b) => branches(b, root)) : [s]
}

/** The value kinds a schema accepts; empty when it says nothing (accepts anything). */
export function kindsOf(schema: JsonSchema, root: JsonSchema): Set<ValueKind> {
  const kinds = new Set<ValueKind>()
  for (const s of branches(schema, root)) {
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]
    for (const t of types) kinds.add(t as ValueKind)
    for (const v of s.enum ?? []) kinds.add(kindOf(v))
    if ('const' in s) kinds.add(kindOf(s.const))
  }
  return kinds
}

export function accepts(kinds: Set<ValueKind>, value: unknown): boolean {
  const kind = kindOf(value)
  return kinds.size === 0 || kinds.has(kind) || (kind === 'integer' && kinds.has('number'))
}

/** The branch describing an object (its properties), if the schema allows objects. */
export function objectBranch(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  return branches(schema, root).find((b) => b.type === 'object' || b.properties !== undefined)
}

/** The schema of an array's items, if the schema allows arrays of one item type. */
export function itemsBranch(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  const array = branches(schema, root).find((b) => b.type === 'array' || b.items !== undefined)
  const items = array?.items
  return items === undefined || Array.isArray(items) ? undefined : items
}

/** How deep repairs reach: 0 is the arguments object, 1 a nested object or an array's items. */
const MAX_LEVEL = 1

/**
 * Repair the fields of an object: drop keys the schema does not allow, omit `null` for optional
 * fields, and repair each value by its field's schema. Returns a new object; `value` is not
 * changed. `path` prefixes field names in repair notes ('' at the top).
 */
export function repairObject(
  value: Record<string, unknown>,
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  level: number,
  repairs: Repair[],
): Record<string, unknown> {
  const properties = schema.properties ?? {}
  const required = new Set(schema.required ?? [])
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    const name = path ? `${path}.${key}` : key
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined
    if (property === undefined) {
      if (schema.additionalProperties === false) {
        const known = Object.keys(properties)
        const expected = known.length ? `arguments: ${known.join(', ')}` : 'no arguments'
        repairs.push({
          kind: 'dropped_unknown_key',
          field: name,
          detail: `${name}: not an accepted argument (${expected}) → dropped`,
        })
        continue
      }
      defineField(out, key, field)
      continue
    }
    const kinds = kindsOf(property, root)
    if (field === null && !required.has(key) && !accepts(kinds, null)) {
      repairs.push({
        kind: 'null_omitted',
        field: name,
        detail: `${name}: null for an optional field → omitted`,
      })
      continue
    }
    defineField(out, key, repairValue(field, property, root, name, level, repairs))
  }
  return out
}

/** Repair one value by its schema (see the module comment). `level` is the value's level. */
export function repairValue(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema,
  name: string,
  level: number,
  repairs: Repair[],
): unknown {
  const kinds = kindsOf(schema, root)
  if (accepts(kinds, value)) return repairInside(value, schema, root, name, level, repairs)

  if (typeof value === 'string') {
    const text = value.trim()
    const wantsJson = kinds.has('array') || kinds.has('object')
    if (wantsJson && (text.startsWith('[') || text.startsWith('{'))) {
      const parsed = parseJsonLenient(text)
      if (parsed.ok && (kindOf(parsed.value) === 'array' || kindOf(parsed.value) === 'object')) {
        if (accepts(kinds, parsed.value)) {
          const what = kindOf(parsed.value) === 'array' ? 'an array' : 'an object'
          repairs.push({
            kind: 'json_string_parsed',
            field: name,
            detail: `${name}: ${what} sent as a JSON string → parsed`,
          })
          return repairInside(parsed.value, schema, root, name, level, repairs)
        }
      }
    }
    const number = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(text) ? Number(text) : NaN
    if (!Number.isNaN(number) && accepts(kinds, number)) {
      return coerced(number, value, name, repairs)
    }
    const lower = text.toLowerCase()
    if (kinds.has('boolean') && (lower === 'true' || lower === 'false')) {
      return coerced(lower === 'true', value, name, repairs)
    }
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && kinds.has('string')) {
    return coerced(String(value), value, name, repairs)
  }
  if (kinds.has('array') && !Array.isArray(value) && value !== null) {
    repairs.push({
      kind: 'wrapped_in_array',
      field: name,
      detail: `${name}: a single ${describeKind(value)} where an array is expected → wrapped in an array`,
    })
    return repairInside([value], schema, root, name, level, repairs)
  }
  return value
}

/** Repair what is inside an object or array value one level down, if levels remain. */
function repairInside(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema,
  name: string,
  level: number,
  repairs: Repair[],
): unknown {
  if (level >= MAX_LEVEL) return value
  if (isPlainObject(value)) {
    const branch = objectBranch(schema, root)
    return branch ? repairObject(value, branch, root, name, level + 1, repairs) : value
  }
  if (Array.isArray(value)) {
    const items = itemsBranch(schema, root)
    if (!items) return value
    return value.map((item, i) =>
      repairValue(item, items, root, `${name}[${i}]`, MAX_LEVEL, repairs),
    )
  }
  return value
}

function coerced(to: unknown, from: unknown, name: string, repairs: Repair[]): unknown {
  repairs.push({
    kind: 'coerced',
    field: name,
    detail: `${name}: the ${describeKind(from)} ${JSON.stringify(from)} → the ${describeKind(to)} ${JSON.stringify(to)}`,
  })
  return to
}

function describeKind(value: unknown): string {
  const kind = kindOf(value)
  return kind === 'integer' ? 'number' : kind
}

/** Set a field as an own property, even one named `__proto__`. */
export function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  })
}
