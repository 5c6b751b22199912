import { invalidArgumentsMessage } from './repair-errors'
import type { JsonFix } from './repair-json'
import { parseJsonLenient } from './repair-json'
import { resolveToolName, unknownToolMessage } from './repair-names'
import type { JsonSchema } from './repair-schema'
import { isPlainObject, objectBranch, repairObject, toolJsonSchema } from './repair-schema'
import type { AnyTool } from './types'

/**
 * Turn a model's tool call (a name and argument text) into a tool and arguments its strict schema
 * accepts, repairing the deterministic slips open models make (DeepSeek, Qwen, GLM, Kimi via
 * gateways) instead of failing the call. Each stage runs only when the strict reading fails:
 * the exact tool name, then `JSON.parse`, then the tool's own zod schema. Whatever is repaired,
 * the tool's own strict schema has the last word, and every repair is reported.
 * Pure and total: never throws, and every call gets either a tool and input or an error text.
 */

export type RepairKind =
  /** A tool name differing in case or separators, a namespace prefix, or an alias. */
  | 'tool_name'
  /** Almost-JSON arguments (fences, prose, trailing commas, quotes, comments, Python literals). */
  | 'lenient_json'
  /** `{"input": …}`, `{"arguments": …}`, `{"parameters": …}`, `{"args": …}` around the arguments. */
  | 'unwrapped'
  /** `null` for an optional field that does not accept null. */
  | 'null_omitted'
  /** An array or object sent as a JSON string, or the whole arguments double-encoded. */
  | 'json_string_parsed'
  /** `"10"` → 10, `"true"` → true where a number/boolean is expected; 12 → "12" for a string. */
  | 'coerced'
  /** A single value where an array is expected. */
  | 'wrapped_in_array'
  /** A key the schema does not allow. */
  | 'dropped_unknown_key'

export interface Repair {
  kind: RepairKind
  /** The argument repaired (`path`, `opts.a`, `paths[0]`); absent for whole-call repairs. */
  field?: string
  /** Human-readable, e.g. `path: null for an optional field → omitted`. */
  detail: string
}

export type RepairedCall =
  | {
      ok: true
      /** The tool the call resolved to (its name may differ from the call's). */
      tool: AnyTool
      /** What the tool's own schema returned: pass it to that tool's `effect` and `execute`. */
      input: unknown
      /** Empty for a call that was valid as sent. */
      repairs: Repair[]
    }
  | {
      ok: false
      /** The tool result content the model reads. */
      error: string
      repairs: Repair[]
    }

/** Wrapper keys models put around the arguments, unwrapped unless the schema has that key. */
const WRAPPER_KEYS: readonly string[] = ['input', 'arguments', 'parameters', 'args', 'params']
/** Keys naming the tool beside a wrapper (`{"name": "read", "arguments": {…}}`). */
const NAME_KEYS: readonly string[] = ['name', 'tool', 'tool_name']
/** Wrapping layers removed at most. */
const MAX_UNWRAP = 3

export function prepareToolCall(
  name: string,
  rawArguments: string,
  tools: readonly AnyTool[],
): RepairedCall {
  const repairs: Repair[] = []
  try {
    return prepare(name, rawArguments, tools, repairs)
  } catch (err) {
    // A schema refinement that throws, or a bug here: the call still gets a result to act on.
    const why = err instanceof Error ? err.message : String(err)
    return { ok: false, error: `Could not check the arguments of ${name}: ${why}`, repairs }
  }
}

function prepare(
  name: string,
  rawArguments: string,
  tools: readonly AnyTool[],
  repairs: Repair[],
): RepairedCall {
  const resolved = resolveToolName(name, tools)
  if (!resolved) return { ok: false, error: unknownToolMessage(name, tools), repairs }
  if (resolved.repair) repairs.push(resolved.repair)
  const { tool } = resolved

  const read = readArguments(rawArguments)
  if (!read.ok) {
    const error =
      `The arguments of ${tool.name} are not valid JSON (${read.error}). ` +
      `Send them as a single JSON object.`
    return { ok: false, error, repairs }
  }
  if (read.fixes.length) repairs.push(lenientRepair(read.fixes))

  const strict = tool.schema.safeParse(read.value)
  if (strict.success) return { ok: true, tool, input: strict.data, repairs }

  const schema = toolJsonSchema(tool)
  const repaired = schema ? repairArguments(read.value, schema, tool, repairs) : read.value
  const final = repaired === read.value ? strict : tool.schema.safeParse(repaired)
  if (final.success) return { ok: true, tool, input: final.data, repairs }
  const error = invalidArgumentsMessage(tool.name, repaired, final.error.issues, schema, repairs)
  return { ok: false, error, repairs }
}

type ReadArguments = { ok: true; value: unknown; fixes: JsonFix[] } | { ok: false; error: string }

/** Argument text as JSON: empty means no arguments (`{}`), as providers send for none. */
function readArguments(text: string): ReadArguments {
  if (text.trim() === '') return { ok: true, value: {}, fixes: [] }
  return parseJsonLenient(text)
}

function lenientRepair(fixes: readonly JsonFix[], field?: string): Repair {
  const what = field ? `${field} (a JSON string)` : 'arguments'
  return {
    kind: 'lenient_json',
    ...(field ? { field } : {}),
    detail: `${what} not strict JSON (${fixes.join(', ')}) → parsed leniently`,
  }
}

/** Shape repairs, in order: double-encoding, wrapping layers, then field by field. */
function repairArguments(
  value: unknown,
  schema: JsonSchema,
  tool: AnyTool,
  repairs: Repair[],
): unknown {
  let current = value
  if (typeof current === 'string' && current.trim().startsWith('{')) {
    const inner = parseJsonLenient(current)
    if (inner.ok && isPlainObject(inner.value)) {
      repairs.push({
        kind: 'json_string_parsed',
        detail: 'the arguments were a JSON string holding the object → parsed',
      })
      if (inner.fixes.length) repairs.push(lenientRepair(inner.fixes, '(arguments)'))
      current = inner.value
    }
  }
  const root = objectBranch(schema, schema)
  current = unwrap(current, root?.properties ?? {}, tool, repairs)
  return root && isPlainObject(current)
    ? repairObject(current, root, schema, '', 0, repairs)
    : current
}

/**
 * Remove layers like `{"input": {…}}` or `{"name": "read", "arguments": "{…}"}`: one wrapper key
 * the schema does not have, beside at most keys naming this same tool.
 */
function unwrap(
  value: unknown,
  properties: Record<string, JsonSchema>,
  tool: AnyTool,
  repairs: Repair[],
): unknown {
  let current = value
  for (let layer = 0; layer < MAX_UNWRAP && isPlainObject(current); layer++) {
    const object = current
    const keys = Object.keys(object)
    const wrappers = keys.filter((k) => WRAPPER_KEYS.includes(k) && !Object.hasOwn(properties, k))
    const wrapper = wrappers.length === 1 ? wrappers[0] : undefined
    if (wrapper === undefined) break
    const others = keys.filter((k) => k !== wrapper)
    const namesThisTool = (k: string): boolean => {
      const v = object[k]
      if (!NAME_KEYS.includes(k) || Object.hasOwn(properties, k) || typeof v !== 'string') {
        return false
      }
      return resolveToolName(v, [tool])?.tool === tool
    }
    if (!others.every(namesThisTool)) break

    const inner = object[wrapper]
    let next: unknown
    let fixes: JsonFix[] = []
    if (isPlainObject(inner)) next = inner
    else if (typeof inner === 'string') {
      const read = readArguments(inner)
      if (!read.ok || !isPlainObject(read.value)) break
      next = read.value
      fixes = read.fixes
    } else break

    const layout = [...others, wrapper].map((k) => `"${k}": …`).join(', ')
    const asString = typeof inner === 'string' ? ' (the inner object as a JSON string)' : ''
    repairs.push({
      kind: 'unwrapped',
      field: wrapper,
      detail: `arguments wrapped in {${layout}}${asString} → unwrapped`,
    })
    if (fixes.length) repairs.push(lenientRepair(fixes, wrapper))
    current = next
  }
  return current
}
