import { z } from 'zod'
import { aborted, fail, ok } from './result'
import { handleMismatch, newOutputResult } from './shell-format'
import { BASH_MAX_BYTES, toolBudget } from './truncate'
import type { Tool, ToolResult } from './types'

export const SHELL_READ_DEFAULT_WAIT_MS = 2_000
export const SHELL_READ_MAX_WAIT_MS = 600_000

const shellReadSchema = z
  .object({
    handle: z
      .string()
      .max(64)
      .optional()
      .describe('The handle bash returned (optional: it is always your last command).'),
    wait_ms: z
      .number()
      .int()
      .min(0)
      .max(SHELL_READ_MAX_WAIT_MS)
      .optional()
      .describe(
        `How long to wait for news, in milliseconds (default ${SHELL_READ_DEFAULT_WAIT_MS}). Returns early when the command finishes, or (unless until_exit) when new output has come and paused.`,
      ),
    until_exit: z
      .boolean()
      .optional()
      .describe('Wait for the command to finish (up to wait_ms), not just for new output.'),
  })
  .strict()

export type ShellReadInput = z.infer<typeof shellReadSchema>

export const shellReadTool: Tool<ShellReadInput> = {
  name: 'shell_read',
  description:
    'Read what your last bash command printed since you last saw its output — for a command ' +
    'still running after its bash call returned (a build, a server, a REPL). Waits up to wait_ms ' +
    'for new output or (until_exit) for the command to finish, then gives the new output and ' +
    'whether it is still running or its exit code.',
  schema: shellReadSchema,
  effect: () => ({ kind: 'read' }),
  polls: true,
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    if (!ctx.shell)
      return fail('There is no session shell here: bash runs each command on its own.')
    const cmd = ctx.shell.last
    if (!cmd) return fail('You have not run a command in the shell yet; start one with bash.')
    const mismatch = handleMismatch(cmd, input.handle)
    if (mismatch) return fail(mismatch)
    const wait = input.wait_ms ?? SHELL_READ_DEFAULT_WAIT_MS
    const started = Date.now()
    if (cmd.output.length === cmd.readCursor || input.until_exit) {
      await cmd.until(wait, ctx.signal, !input.until_exit)
    }
    const r = await newOutputResult(
      cmd,
      Date.now() - cmd.startedAt,
      null,
      toolBudget(ctx.outputBudget, BASH_MAX_BYTES),
    )
    r.details.waitedMs = Date.now() - started
    return r.failed ? fail(r.content, r.details) : ok(r.content, r.details)
  },
}
