import { z } from 'zod'
import { bashTool } from './bash'
import { editTool } from './edit'
import { globTool } from './glob'
import { grepTool } from './grep'
import { lsTool } from './ls'
import { readTool } from './read'
import { shellInterruptTool } from './shell-interrupt'
import { shellReadTool } from './shell-read'
import { shellWriteTool } from './shell-write'
import type { AnyTool, Tool } from './types'
import { writeTool } from './write'

/** What a provider is told about a tool: its name, description and JSON Schema of arguments. */
export interface ToolSpec {
  name: string
  description: string
  /** JSON Schema (draft 2020-12) of an object, `additionalProperties: false`, no `$schema` key. */
  parameters: Record<string, unknown>
}

/**
 * Erase a tool's argument type for storage in a registry. Sound as long as callers only pass
 * `execute`/`effect` what the same tool's `schema` parsed (which `AnyTool` = `Tool<never>` forces:
 * a value of type never can only come from that parse). TypeScript cannot see this by itself,
 * because a schema's output type is covariant and `never` is the bottom type.
 */
export function eraseTool<I>(tool: Tool<I>): AnyTool {
  return tool as unknown as AnyTool
}

/** The built-in tools, in the order they are offered to the model. A new array on every call. */
export function builtinTools(): AnyTool[] {
  return [
    eraseTool(readTool),
    eraseTool(writeTool),
    eraseTool(editTool),
    eraseTool(bashTool),
    eraseTool(shellReadTool),
    eraseTool(shellWriteTool),
    eraseTool(shellInterruptTool),
    eraseTool(grepTool),
    eraseTool(globTool),
    eraseTool(lsTool),
  ]
}

/** The JSON Schema of a tool's arguments, as sent to a model (input shape, no `$schema`). */
export function toolParameters(tool: AnyTool): Record<string, unknown> {
  if (tool.parameters) return tool.parameters
  const schema = z.toJSONSchema(tool.schema, { io: 'input' }) as Record<string, unknown>
  const { $schema: _drop, ...rest } = schema
  return rest
}

export function toolSpecs(tools: readonly AnyTool[]): ToolSpec[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: toolParameters(tool),
  }))
}

/** A tool by name, or undefined. */
export function findTool(tools: readonly AnyTool[], name: string): AnyTool | undefined {
  return tools.find((t) => t.name === name)
}
