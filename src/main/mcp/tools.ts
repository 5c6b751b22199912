import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { z } from 'zod'
import type { CallToolResult, Tool as SdkTool } from '@modelcontextprotocol/sdk/types.js'
import { newId } from '../core/ids'
import type { AnyTool, Tool, ToolContext, ToolResult } from '../tools/types'
import { MCP_TOOL_PREFIX } from './names'

/** Longest tool name providers take. */
export const MAX_TOOL_NAME_CHARS = 64

const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_')

/**
 * What the model calls a server's tool: `mcp__<server>__<tool>`, every character outside
 * `[A-Za-z0-9_-]` replaced by `_`, at most 64 characters (a longer name keeps its start and ends
 * with a hash of the whole, so two long names stay apart).
 */
export function exposedToolName(server: string, tool: string): string {
  const name = `${MCP_TOOL_PREFIX}${clean(server)}__${clean(tool)}`
  if (name.length <= MAX_TOOL_NAME_CHARS) return name
  const hash = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, 8)
  return `${name.slice(0, MAX_TOOL_NAME_CHARS - 9)}_${hash}`
}

/** The JSON Schema the model is told: the server's, as an object, without `$schema`. */
export function mcpParameters(tool: SdkTool): Record<string, unknown> {
  const { $schema: _drop, ...rest } = tool.inputSchema as Record<string, unknown>
  return { ...rest, type: 'object', properties: rest.properties ?? {} }
}

/**
 * The server's JSON Schema as a zod schema, so a call goes through the same repair and validation
 * as a built-in tool's. A schema zod cannot read is taken as "any object" (the server checks).
 */
function argumentSchema(parameters: Record<string, unknown>): z.ZodType<Record<string, unknown>> {
  try {
    return z.fromJSONSchema(parameters) as z.ZodType<Record<string, unknown>>
  } catch {
    return z.record(z.string(), z.unknown())
  }
}

export interface McpToolSource {
  server: string
  tool: SdkTool
  call: (args: Record<string, unknown>, signal: AbortSignal) => Promise<CallToolResult>
}

/** A server's tool as one of the agent's tools. */
export function mcpTool(source: McpToolSource): AnyTool {
  const parameters = mcpParameters(source.tool)
  const readOnly = source.tool.annotations?.readOnlyHint === true
  const tool: Tool<Record<string, unknown>> = {
    name: exposedToolName(source.server, source.tool.name),
    description: describeTool(source.server, source.tool),
    schema: argumentSchema(parameters),
    parameters,
    readOnly,
    effect: () => (readOnly ? { kind: 'read' } : { kind: 'exclusive' }),
    async execute(input, ctx) {
      const result = await source.call(input, ctx.signal)
      return toToolResult(result, source, ctx)
    },
  }
  return tool as unknown as AnyTool
}

function describeTool(server: string, tool: SdkTool): string {
  const text = (tool.description ?? tool.title ?? '').trim()
  return `${text || tool.name} (MCP server ${server})`
}

/** Largest image kept in a result's details (so the transcript shows it), in bytes. */
export const MAX_INLINE_IMAGE_BYTES = 256 * 1024

/** File extensions of the image types servers send. */
const IMAGE_EXT: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

/**
 * What the model reads of a server's result: text as is, an image or audio saved to the
 * session's spill folder and described, a resource link named with its address, an embedded
 * resource's text; `isError` stays an error. Images are listed in `details` for the transcript
 * (with their data when at most {@link MAX_INLINE_IMAGE_BYTES}); of `details`, only those images'
 * data reach a model, and only one that takes images (`context/tool-images.ts`).
 */
export async function toToolResult(
  result: CallToolResult,
  source: Pick<McpToolSource, 'server' | 'tool'>,
  ctx: Pick<ToolContext, 'fs' | 'spillDir'>,
): Promise<ToolResult> {
  const parts: string[] = []
  const images: Array<{ mimeType: string; path: string; bytes: number; data?: string }> = []
  for (const part of result.content ?? []) {
    switch (part.type) {
      case 'text':
        parts.push(part.text)
        break
      case 'image':
      case 'audio': {
        const bytes = Buffer.from(part.data, 'base64')
        const ext = IMAGE_EXT[part.mimeType] ?? 'bin'
        const path = join(ctx.spillDir, `mcp-${part.type}-${newId()}.${ext}`)
        await ctx.fs.writeFileAtomic(path, bytes)
        if (part.type === 'image') {
          const inline = bytes.length <= MAX_INLINE_IMAGE_BYTES && ext !== 'bin'
          images.push({
            mimeType: part.mimeType,
            path,
            bytes: bytes.length,
            ...(inline ? { data: part.data } : {}),
          })
        }
        parts.push(
          `[${part.type}: ${part.mimeType}, ${formatBytes(bytes.length)}, saved to ${path}]`,
        )
        break
      }
      case 'resource_link':
        parts.push(
          `[resource link: ${part.name} <${part.uri}>${part.description ? ` — ${part.description}` : ''}]`,
        )
        break
      case 'resource': {
        const r = part.resource
        parts.push(
          'text' in r
            ? `[resource <${r.uri}>]\n${r.text}`
            : `[resource <${r.uri}>${r.mimeType ? `, ${r.mimeType}` : ''}, ${formatBytes(Math.floor((r.blob.length * 3) / 4))} of binary data]`,
        )
        break
      }
    }
  }
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent))
  }
  const content = parts.join('\n') || (result.isError ? 'The tool failed.' : '(no output)')
  return {
    content,
    isError: result.isError === true,
    details: {
      mcp: { server: source.server, tool: source.tool.name },
      ...(images.length ? { images } : {}),
    },
  }
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`
}

/** Rough size of tool definitions as a model counts them, in tokens (4 characters each). */
export function schemaTokens(tools: readonly AnyTool[]): number {
  let chars = 0
  for (const t of tools) {
    chars += t.name.length + t.description.length + JSON.stringify(t.parameters ?? {}).length
  }
  return Math.ceil(chars / 4)
}
