import type { Repair } from './repair'
import { NAME_KEYS, WRAPPER_KEYS, resolveToolName } from './repair-names'
import { isPlainObject, objectBranch, toolJsonSchema } from './repair-schema'
import type { AnyTool } from './types'

/**
 * A call that arrived with arguments but no tool name (some gateways drop the name of a call
 * whose header came in a chunk they rewrote). The tool is inferred only when the reading is
 * unique: exactly one offered tool's schema fits the arguments as sent — every required property
 * present and no property it does not have — judged before any repair, so that no renaming or
 * unwrapping can make a second tool fit. Otherwise the model is told, with the candidates.
 */

export type InferredTool =
  { ok: true; tool: AnyTool; repair: Repair } | { ok: false; error: string }

/** The tool a nameless call means, from its parsed arguments. */
export function inferTool(value: unknown, tools: readonly AnyTool[]): InferredTool {
  const named = namedInside(value, tools)
  if (named) return named
  if (!isPlainObject(value)) {
    return {
      ok: false,
      error:
        'The tool call has no tool name, and its arguments are not a JSON object. ' +
        `Call again with the tool's name. Available tools: ${names(tools)}.`,
    }
  }
  const keys = Object.keys(value)
  const fits = tools.filter((tool) => fitsSchema(keys, tool))
  const sent = keys.length ? `(${keys.join(', ')})` : '({})'
  if (fits.length === 1 && fits[0]) {
    const tool = fits[0]
    return {
      ok: true,
      tool,
      repair: {
        kind: 'tool_inferred',
        detail: `no tool name; the arguments ${sent} fit only ${tool.name} → ${tool.name}`,
        tell:
          `Note: your call had no tool name; it was run as ${tool.name}, the only tool whose ` +
          `arguments fit. Always name the tool.`,
      },
    }
  }
  const error =
    fits.length > 1
      ? `The tool call has no tool name, and its arguments ${sent} fit several tools: ` +
        `${fits.map((t) => t.name).join(', ')}. Call again, naming the tool you mean.`
      : `The tool call has no tool name, and its arguments ${sent} fit none of the tools ` +
        `(a tool fits when all its required arguments are present and no others). ` +
        `Call again with the tool's name. Available tools: ${names(tools)}.`
  return { ok: false, error }
}

/**
 * Whether the arguments' keys fit a tool's schema: every required property present, no key the
 * schema lacks. A tool without a JSON Schema cannot be judged and never fits.
 */
export function fitsSchema(keys: readonly string[], tool: AnyTool): boolean {
  const schema = toolJsonSchema(tool)
  const root = schema ? objectBranch(schema, schema) : undefined
  if (!root) return false
  const properties = root.properties ?? {}
  const required = root.required ?? []
  return required.every((k) => keys.includes(k)) && keys.every((k) => Object.hasOwn(properties, k))
}

/** `{"name": "read", "arguments": {…}}` as the arguments: the name is inside. */
function namedInside(value: unknown, tools: readonly AnyTool[]): InferredTool | undefined {
  if (!isPlainObject(value)) return undefined
  const keys = Object.keys(value)
  const nameKeys = keys.filter((k) => NAME_KEYS.includes(k))
  const argKeys = keys.filter((k) => WRAPPER_KEYS.includes(k))
  if (nameKeys.length !== 1 || argKeys.length !== 1 || keys.length !== 2) return undefined
  const nameKey = nameKeys[0]!
  const name = value[nameKey]
  if (typeof name !== 'string') return undefined
  const resolved = resolveToolName(name, tools)
  if (!resolved) return undefined
  const { tool } = resolved
  // A tool that itself takes these keys would read the object as its own arguments.
  if (fitsSchema(keys, tool)) return undefined
  return {
    ok: true,
    tool,
    repair: {
      kind: 'tool_inferred',
      detail: `no tool name; the arguments name it ({"${nameKey}": "${name}", "${argKeys[0]}": …}) → ${tool.name}`,
    },
  }
}

function names(tools: readonly AnyTool[]): string {
  return tools.map((t) => t.name).join(', ') || '(none)'
}
