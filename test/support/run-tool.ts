import type { Authorize, ToolCallOutcome } from '../../src/main/engine/tool-call'
import { runToolCall } from '../../src/main/engine/tool-call'
import type { AnyTool, ToolContext, ToolResult } from '../../src/main/tools/types'

let calls = 0

/** A policy that allows everything (tests that only need "run this tool with these arguments"). */
export const allowAll: Authorize = () => Promise.resolve({ ok: true })

/**
 * Run a tool the way the agent loop runs it, on the one tool call path (repair → validate →
 * policy → execute → truncate), with a policy that allows everything. `args` is what the model
 * sent: an object (sent as its JSON) or the raw argument text. `ctx.signal` is the tool's own
 * signal; the run around the call is never aborted, so a test aborting `ctx.signal` sees the
 * tool's own answer to it.
 */
export function callTool(
  tool: AnyTool,
  args: unknown,
  ctx: ToolContext,
  opts: { name?: string; tools?: readonly AnyTool[] } = {},
): Promise<ToolCallOutcome> {
  calls += 1
  return runToolCall(
    {
      id: `call_${calls}`,
      name: opts.name ?? tool.name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args),
    },
    {
      tools: opts.tools ?? [tool],
      workspaceRoot: ctx.workspaceRoot,
      toolContext: () => ctx,
      authorize: allowAll,
      signal: new AbortController().signal,
      now: Date.now,
    },
  )
}

/** {@link callTool}, answering what the tool returned: its content, error flag and details. */
export async function runTool(tool: AnyTool, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  const { result } = await callTool(tool, args, ctx)
  return {
    content: result.content,
    isError: result.isError,
    ...(result.details ? { details: result.details } : {}),
  }
}
