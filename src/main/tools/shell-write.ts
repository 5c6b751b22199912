import { z } from 'zod'
import { AgentShellError } from '../shells/agent-shell'
import { TERMINAL_INPUT_MAX_CHARS } from '../../shared/terminals'
import { aborted, fail, ok } from './result'
import { handleMismatch, newOutputResult } from './shell-format'
import { BASH_MAX_BYTES, toolBudget } from './truncate'
import type { Tool, ToolResult } from './types'

export const SHELL_WRITE_DEFAULT_WAIT_MS = 2_000

const shellWriteSchema = z
  .object({
    text: z
      .string()
      .max(TERMINAL_INPUT_MAX_CHARS)
      .describe(
        'What to type. Control keys as characters: \\u0004 Ctrl-D (end of input), \\u001b Escape, \\t Tab.',
      ),
    enter: z.boolean().optional().describe('Press Enter after the text (default true).'),
    handle: z.string().max(64).optional().describe('The handle bash returned (optional).'),
    wait_ms: z
      .number()
      .int()
      .min(0)
      .max(600_000)
      .optional()
      .describe(
        `How long to wait for the answer, in milliseconds (default ${SHELL_WRITE_DEFAULT_WAIT_MS}); returns once output pauses.`,
      ),
  })
  .strict()

export type ShellWriteInput = z.infer<typeof shellWriteSchema>

export const shellWriteTool: Tool<ShellWriteInput> = {
  name: 'shell_write',
  description:
    'Type into your running command (started with bash and still running): answer its prompt ' +
    '("y", a password the user gave you), or feed a REPL a line (python3 -i, node, psql). Then ' +
    'waits briefly and returns what it printed. Only for your own running command; to run a new ' +
    'command use bash.',
  schema: shellWriteSchema,
  effect: () => ({ kind: 'exclusive' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    if (!ctx.shell)
      return fail('There is no session shell here: bash runs each command on its own.')
    const mismatch = handleMismatch(ctx.shell.last, input.handle)
    if (mismatch) return fail(mismatch)
    const keys = input.text + (input.enter === false ? '' : '\r')
    if (keys === '') return fail('Nothing to type: give text, or enter: true.')
    try {
      const cmd = await ctx.shell.write(keys)
      await cmd.until(input.wait_ms ?? SHELL_WRITE_DEFAULT_WAIT_MS, ctx.signal, true)
      const r = await newOutputResult(
        cmd,
        Date.now() - cmd.startedAt,
        null,
        toolBudget(ctx.outputBudget, BASH_MAX_BYTES),
      )
      return r.failed ? fail(r.content, r.details) : ok(r.content, r.details)
    } catch (err) {
      if (err instanceof AgentShellError) return fail(err.message, { error: err.code })
      throw err
    }
  },
}
