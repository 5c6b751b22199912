import { z } from 'zod'
import { eraseTool } from '../tools/registry'
import type { AnyTool, Tool } from '../tools/types'
import { MCP_CALL, MCP_SEARCH } from './names'

/** Most tools one `mcp_search` answers with. */
const MAX_SEARCH_RESULTS = 10

export { MCP_CALL, MCP_SEARCH } from './names'

function score(tool: AnyTool, words: string[]): number {
  const name = tool.name.toLowerCase()
  const text = tool.description.toLowerCase()
  let total = 0
  for (const w of words) {
    if (name.includes(w)) total += 3
    else if (text.includes(w)) total += 1
    else return 0
  }
  return total
}

/**
 * When the servers' tool schemas would take too much of the window, they are not listed; the
 * model finds them with `mcp_search` (by name and description: each result carries its schema)
 * and calls them with `mcp_call`. A call goes through the named tool's own validation and is
 * judged by the policy as that tool.
 */
export function searchTools(hidden: readonly AnyTool[]): AnyTool[] {
  const byName = new Map(hidden.map((t) => [t.name, t]))
  const search: Tool<{ query: string }> = {
    name: MCP_SEARCH,
    description:
      `Find tools of the connected MCP servers (${hidden.length} tools, not listed here to save ` +
      'room) by words of their name or description. Answers with each match’s name, description ' +
      'and JSON Schema of arguments; then call one with mcp_call.',
    schema: z.object({ query: z.string().min(1).max(500) }).strict(),
    effect: () => ({ kind: 'read' }),
    execute(input) {
      const words = input.query.toLowerCase().split(/\s+/).filter(Boolean)
      const found = hidden
        .map((t) => ({ t, s: score(t, words) }))
        .filter((r) => r.s > 0)
        .sort((a, b) => b.s - a.s || a.t.name.localeCompare(b.t.name))
        .slice(0, MAX_SEARCH_RESULTS)
      if (found.length === 0) {
        return Promise.resolve({
          content: `No MCP tool matches "${input.query}". Try fewer or other words.`,
          isError: false,
        })
      }
      const text = found
        .map(
          ({ t }) =>
            `${t.name}: ${t.description}\narguments: ${JSON.stringify(t.parameters ?? {})}`,
        )
        .join('\n\n')
      return Promise.resolve({ content: text, isError: false })
    },
  }
  const call: Tool<{ name: string; arguments: Record<string, unknown> }> = {
    name: MCP_CALL,
    description:
      'Call a tool of a connected MCP server found with mcp_search: its exact name and its ' +
      'arguments as an object matching its schema.',
    schema: z
      .object({
        name: z.string().min(1).max(128),
        arguments: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
    effect: () => ({ kind: 'exclusive' }),
    async execute(input, ctx) {
      const tool = byName.get(input.name)
      if (!tool) {
        return {
          content: `No MCP tool is called ${input.name}; find it with mcp_search first.`,
          isError: true,
        }
      }
      const parsed = tool.schema.safeParse(input.arguments)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        return {
          content: `Invalid arguments for ${tool.name}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
          isError: true,
        }
      }
      return tool.execute(parsed.data as never, ctx)
    },
  }
  return [eraseTool(search), eraseTool(call)]
}
