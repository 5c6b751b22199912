/**
 * The names MCP tools go by, for the policy and the approvals: no other import, so the policy
 * depends on nothing of the broker.
 */

/** What every MCP tool's name starts with: rules name them `mcp__<server>__*`. */
export const MCP_TOOL_PREFIX = 'mcp__'
/** The pair offered instead of every schema when they would take too much of the window. */
export const MCP_SEARCH = 'mcp_search'
export const MCP_CALL = 'mcp_call'

export function isMcpToolName(name: string): boolean {
  return name.startsWith(MCP_TOOL_PREFIX)
}

/** The tool an `mcp_call` names, for the policy: rules and plan mode judge the inner tool. */
export function innerToolName(input: unknown): string | undefined {
  const name = (input as { name?: unknown } | null)?.name
  return typeof name === 'string' ? name : undefined
}
