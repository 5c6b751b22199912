import { mkdir } from 'node:fs/promises'
import { z } from 'zod'
import { PRIVATE_DIR_MODE } from '../core/private-files'
import type { Blocked } from '../sandbox/blocked'
import { blockedNote, detectBlocked } from '../sandbox/blocked'
import { AgentShellError } from '../shells/agent-shell'
import { aborted, fail, ok } from './result'
import { compose, outputFrom, preambleText, statusLine } from './shell-format'
import { runInProcess } from './shell-process'
import { BASH_MAX_BYTES, BASH_MAX_LINES, spillPath, toolBudget } from './truncate'
import type { Tool, ToolContext, ToolResult } from './types'

/** Default time the call waits for a command (ms); the command itself may run longer. */
export const BASH_DEFAULT_TIMEOUT_MS = 120_000
/** Largest wait a call may ask for (ms). */
export const BASH_MAX_TIMEOUT_MS = 600_000
export { EXIT_DRAIN_MS, KILL_GRACE_MS } from './shell-process'

const bashSchema = z
  .object({
    command: z
      .string()
      .min(1)
      .describe('The command line, typed at the prompt of the session shell (multi-line is fine).'),
    timeout_ms: z
      .number()
      .int()
      .min(1)
      .max(BASH_MAX_TIMEOUT_MS)
      .optional()
      .describe(
        `How long to wait for the command, in milliseconds (default ${BASH_DEFAULT_TIMEOUT_MS}, at most ${BASH_MAX_TIMEOUT_MS}). A command still running then keeps running; you get a handle.`,
      ),
  })
  .strict()

export type BashInput = z.infer<typeof bashSchema>

export const bashTool: Tool<BashInput> = {
  name: 'bash',
  description:
    `Run a command in this session's shell, a persistent interactive shell (the user's login ` +
    `shell, started in the workspace root) that the user watches live and may also type into. ` +
    `State persists between calls: cd, exported variables, activated virtualenvs, background jobs. ` +
    `Returns the command's combined output (colours removed) and its exit code. A command still ` +
    `running after timeout_ms (default ${BASH_DEFAULT_TIMEOUT_MS / 1000} s) is not killed: you get ` +
    `the output so far and a handle; then use shell_read (more output, or wait for the end), ` +
    `shell_write (type into it: answer a prompt, drive a REPL) and shell_interrupt (Ctrl-C). One ` +
    `command runs at a time. Long output is cut to the last ${BASH_MAX_LINES} lines or ` +
    `${BASH_MAX_BYTES / 1024} KB (less for a model with a small context window), with the full output saved to a file you can page through with ` +
    `read. Pagers are off (PAGER=cat). Model API keys and variables named like credentials ` +
    `(API_KEY, *TOKEN, *_PAT, *SECRET*, *PASSWORD*, *_ACCESS_KEY*, *CREDENTIALS*) are removed from the environment, except those ` +
    `the user lets through. Prefer read, grep, glob and ls for looking at files.`,
  schema: bashSchema,
  effect: () => ({ kind: 'exclusive' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const timeoutMs = Math.min(input.timeout_ms ?? BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_TIMEOUT_MS)
    if (!ctx.shell) return runInProcess(input, ctx, timeoutMs)
    try {
      return await offerOutside(
        markBlocked(await runInShell(input, ctx, timeoutMs), ctx),
        input,
        ctx,
        timeoutMs,
      )
    } catch (err) {
      if (err instanceof AgentShellError && err.code === 'no_pty') {
        // No PTY on this host: each command runs as a process instead (logged when node-pty failed).
        const result = markBlocked(await runInProcess(input, ctx, timeoutMs), ctx)
        const withFallback = { ...result, details: { ...result.details, fallback: err.message } }
        return await offerOutside(withFallback, input, ctx, timeoutMs)
      }
      if (err instanceof AgentShellError) {
        if (err.code === 'aborted') return aborted()
        return fail(err.message, { error: err.code })
      }
      throw err
    }
  },
}

/**
 * A failure the session's sandbox caused says so first, so the model stops trying other ways
 * round it; `details.blocked` lets the UI show it.
 */
function markBlocked(result: ToolResult, ctx: ToolContext): ToolResult {
  if (!result.isError || ctx.signal.aborted) return result
  const confinement = ctx.shell?.confinement()
  const blocked = confinement ? detectBlocked(result.content, confinement) : null
  if (!blocked) return result
  return {
    ...result,
    content: `${blockedNote(blocked)}\n\n${result.content}`,
    details: { ...result.details, blocked },
  }
}

/**
 * A command the sandbox blocked: the user may let it run once outside (an approval). Then it runs
 * as a process, unconfined, in the session's folder, and the model reads that result instead.
 */
async function offerOutside(
  result: ToolResult,
  input: BashInput,
  ctx: ToolContext,
  timeoutMs: number,
): Promise<ToolResult> {
  const blocked = result.details?.blocked as Blocked | undefined
  if (!blocked || !ctx.askOutsideSandbox || !ctx.toolCallId || ctx.signal.aborted) return result
  const allowed = await ctx.askOutsideSandbox(ctx.toolCallId, input.command, blocked)
  if (!allowed) {
    return { ...result, content: `${result.content}\n\nThe user kept it inside the sandbox.` }
  }
  const { shell: _confined, ...unconfined } = ctx
  const outside = await runInProcess(input, unconfined, timeoutMs)
  return {
    ...outside,
    content: `Ran once outside the sandbox, as the user allowed (in ${ctx.workspaceRoot}, as a new process: variables and cd of the shell do not apply):\n\n${outside.content}`,
    details: { ...outside.details, blocked, outside: true },
  }
}

async function runInShell(
  input: BashInput,
  ctx: ToolContext,
  timeoutMs: number,
): Promise<ToolResult> {
  const shell = ctx.shell!
  await mkdir(ctx.spillDir, { recursive: true, mode: PRIVATE_DIR_MODE }).catch(() => undefined)
  const notes: string[] = []
  const started = Date.now()
  const cmd = await shell.run(input.command, {
    timeoutMs,
    signal: ctx.signal,
    spillPath: spillPath(ctx.spillDir, 'bash'),
    notes,
  })
  const durationMs = Date.now() - started
  const out = await outputFrom(cmd, 0, toolBudget(ctx.outputBudget, BASH_MAX_BYTES))
  cmd.readCursor = cmd.output.length
  const ranAtAll = cmd.phase !== 'typed' || cmd.output.length > 0
  let body: string
  if (!ranAtAll && cmd.done) {
    const said = preambleText(cmd)
    body = said === '' ? '(no output)' : said
  } else body = out.text === '' && !out.note ? '(no output)' : out.text
  let status = statusLine(cmd, durationMs)
  if (ctx.signal.aborted) {
    status = cmd.done
      ? `Aborted: Ctrl-C was sent and the command ended (${statusLine(cmd, null)}).`
      : `Aborted: Ctrl-C was sent, but the command (handle ${cmd.id}) is still running.`
  }
  const content = compose([notes.length ? notes.join(' ') : null, out.note, body, status])
  const details: Record<string, unknown> = {
    exitCode: cmd.exitCode,
    running: !cmd.done,
    handle: cmd.id,
    terminalId: cmd.terminalId,
    aborted: ctx.signal.aborted,
    durationMs,
    totalLines: out.totalLines,
  }
  if (out.spillPath) details.spillPath = out.spillPath
  if (ctx.signal.aborted) return fail(content, details)
  if (!cmd.done) return ok(content, details)
  return cmd.exitCode === 0 ? ok(content, details) : fail(content, details)
}
