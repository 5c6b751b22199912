import type { RepairContext } from './repair-context'
import { RepairRefusal, invalidArgumentsMessage } from './repair-errors'
import { inferTool } from './repair-infer'
import type { JsonFix } from './repair-json'
import { parseJsonLenient } from './repair-json'
import { joinArgv, renameKeys } from './repair-keys'
import { stripLineNumbers } from './repair-lines'
import { NAME_KEYS, WRAPPER_KEYS, resolveToolName, unknownToolMessage } from './repair-names'
import { remapPath } from './repair-paths'
import type { JsonSchema } from './repair-schema'
import { isPlainObject, objectBranch, repairObject, toolJsonSchema } from './repair-schema'
import type { AnyTool } from './types'

export type { RepairContext, RepairFs } from './repair-context'

/**
 * Turn a model's tool call (a name and argument text) into a tool and arguments its strict schema
 * accepts, repairing the deterministic slips open models make (DeepSeek, Qwen, GLM, Kimi via
 * gateways) instead of failing the call. Each stage runs only when the strict reading fails:
 * the exact tool name, then `JSON.parse`, then the tool's own zod schema. Whatever is repaired,
 * the tool's own strict schema has the last word, and every repair is reported. Where two
 * readings of a call are possible, nothing is guessed: the model gets an error naming both.
 * Given a `RepairContext`, valid calls are also checked against the workspace (a made-up
 * container path, read's line numbers left in an edit); that looks at files, and only for calls
 * that look like they need it. Total: never throws, and every call gets either a tool and input
 * or an error text.
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
  /** A call with arguments but no tool name, run as the one tool whose schema they fit. */
  | 'tool_inferred'
  /** Another agent's name for an argument (`file_path`, `old_str`, `oldString`, `cmd`). */
  | 'key_renamed'
  /** `command` sent as an argv array (`["bash", "-lc", "ls"]`), joined into a command line. */
  | 'argv_joined'
  /** A path under a made-up container root (`/workspace/a.txt`) mapped into the workspace. */
  | 'path_remapped'
  /** read's line-number prefixes left in an edit's old_string (and new_string), stripped. */
  | 'line_numbers_stripped'

export interface Repair {
  kind: RepairKind
  /** The argument repaired (`path`, `opts.a`, `paths[0]`); absent for whole-call repairs. */
  field?: string
  /** Human-readable, e.g. `path: null for an optional field → omitted`. */
  detail: string
  /**
   * For a repair the model should learn from (its call was read differently than written): a
   * sentence put before the tool's result, so the model sees what was run.
   */
  tell?: string
}

export type RepairedCall =
  | {
      ok: true
      /**
       * The tool the call resolved to (its name may differ from the call's). When a repair must
       * be told to the model (`Repair.tell`), a copy of it whose result starts with that note.
       */
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

/** Wrapping layers removed at most. */
const MAX_UNWRAP = 3

/**
 * Repair and validate one call. `name` may be empty (a call that arrived without one: the tool is
 * inferred from the arguments when exactly one fits). `context` gives the workspace, for the
 * repairs that depend on its files; without it they are skipped.
 */
export function prepareToolCall(
  name: string,
  rawArguments: string,
  tools: readonly AnyTool[],
  context?: RepairContext,
): RepairedCall {
  const repairs: Repair[] = []
  try {
    const prepared = prepare(name, rawArguments, tools, context, repairs)
    return prepared.ok ? { ...prepared, tool: withNotes(prepared.tool, repairs) } : prepared
  } catch (err) {
    if (err instanceof RepairRefusal) return { ok: false, error: err.message, repairs }
    // A schema refinement that throws, or a bug here: the call still gets a result to act on.
    const why = err instanceof Error ? err.message : String(err)
    const whose = name.trim() === '' ? 'a call with no tool name' : name
    return { ok: false, error: `Could not check the arguments of ${whose}: ${why}`, repairs }
  }
}

function prepare(
  name: string,
  rawArguments: string,
  tools: readonly AnyTool[],
  context: RepairContext | undefined,
  repairs: Repair[],
): RepairedCall {
  const nameless = name.trim() === ''
  let tool: AnyTool | undefined
  if (!nameless) {
    const resolved = resolveToolName(name, tools)
    if (!resolved) return { ok: false, error: unknownToolMessage(name, tools), repairs }
    if (resolved.repair) repairs.push(resolved.repair)
    tool = resolved.tool
  }

  const read = readArguments(rawArguments)
  if (!read.ok) {
    const whose = tool
      ? `The arguments of ${tool.name}`
      : 'The tool call has no tool name, and its arguments'
    const error = `${whose} are not valid JSON (${read.error}). Send them as a single JSON object.`
    return { ok: false, error, repairs }
  }
  if (!tool) {
    // Judged on the arguments as sent, before any repair could make a second tool fit.
    const inferred = inferTool(read.value, tools)
    if (!inferred.ok) return { ok: false, error: inferred.error, repairs }
    repairs.push(inferred.repair)
    tool = inferred.tool
  }
  if (read.fixes.length) repairs.push(lenientRepair(read.fixes))

  const strict = tool.schema.safeParse(read.value)
  if (strict.success) return checked(tool, strict.data, context, repairs)

  const schema = toolJsonSchema(tool)
  const repaired = schema ? repairArguments(read.value, schema, tool, repairs) : read.value
  const final = repaired === read.value ? strict : tool.schema.safeParse(repaired)
  if (final.success) return checked(tool, final.data, context, repairs)
  const error = invalidArgumentsMessage(tool.name, repaired, final.error.issues, schema, repairs)
  return { ok: false, error, repairs }
}

/**
 * Valid arguments checked against the workspace: a made-up container path mapped into it, then
 * read's line numbers stripped from an edit (on the mapped path). The tool's schema judges the
 * result again.
 */
function checked(
  tool: AnyTool,
  input: unknown,
  context: RepairContext | undefined,
  repairs: Repair[],
): RepairedCall {
  if (!context || !isPlainObject(input)) return { ok: true, tool, input, repairs }
  const mapped = remapPath(input, context, repairs)
  const stripped = stripLineNumbers(mapped, context, repairs)
  if (stripped === input) return { ok: true, tool, input, repairs }
  const again = tool.schema.safeParse(stripped)
  if (again.success) return { ok: true, tool, input: again.data, repairs }
  const schema = toolJsonSchema(tool)
  const error = invalidArgumentsMessage(tool.name, stripped, again.error.issues, schema, repairs)
  return { ok: false, error, repairs }
}

/** The tool, saying first what the model should know of how its call was read (see `tell`). */
function withNotes(tool: AnyTool, repairs: readonly Repair[]): AnyTool {
  const notes = repairs.flatMap((r) => (r.tell ? [r.tell] : []))
  if (notes.length === 0) return tool
  return {
    ...tool,
    async execute(input, ctx) {
      const result = await tool.execute(input, ctx)
      return { ...result, content: `${notes.join('\n')}\n\n${result.content}` }
    },
  }
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
  if (!root || !isPlainObject(current)) return current
  const properties = root.properties ?? {}
  const renamed = joinArgv(renameKeys(current, properties, tool.name, repairs), properties, repairs)
  return repairObject(renamed, root, schema, '', 0, repairs)
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
