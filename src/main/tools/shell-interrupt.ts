import { z } from 'zod'
import { AgentShellError } from '../shells/agent-shell'
import { aborted, fail, ok } from './result'
import { handleMismatch, newOutputResult } from './shell-format'
import { BASH_MAX_BYTES, toolBudget } from './truncate'
import type { Tool, ToolResult } from './types'

const shellInterruptSchema = z
  .object({
    handle: z.string().max(64).optional().describe('The handle bash returned (optional).'),
  })
  .strict()

export type ShellInterruptInput = z.infer<typeof shellInterruptSchema>

export const shellInterruptTool: Tool<ShellInterruptInput> = {
  name: 'shell_interrupt',
  description:
    'Stop your running command with Ctrl-C (a server, a watch, a hung test), wait a moment for ' +
    'it to end, and return its last output and exit code.',
  schema: shellInterruptSchema,
  effect: () => ({ kind: 'exclusive' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    if (!ctx.shell)
      return fail('There is no session shell here: bash runs each command on its own.')
    const mismatch = handleMismatch(ctx.shell.last, input.handle)
    if (mismatch) return fail(mismatch)
    try {
      const cmd = await ctx.shell.interrupt()
      const lead = cmd.done
        ? null
        : 'Ctrl-C was sent but the command is still running (it may ignore Ctrl-C; try again, or shell_write "\\u001c" for Ctrl-\\).'
      const r = await newOutputResult(
        cmd,
        Date.now() - cmd.startedAt,
        lead,
        toolBudget(ctx.outputBudget, BASH_MAX_BYTES),
      )
      r.details.interrupted = true
      // Stopping it was the point: an exit code from Ctrl-C (130) is not a failure of this call.
      return ok(r.content, r.details)
    } catch (err) {
      if (err instanceof AgentShellError) return fail(err.message, { error: err.code })
      throw err
    }
  },
}
