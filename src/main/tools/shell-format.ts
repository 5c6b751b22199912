import { writeFile } from 'node:fs/promises'
import { PRIVATE_FILE_MODE } from '../core/private-files'
import { collapseCarriageReturns } from '../shells/command-output'
import type { AgentCommand } from '../shells/agent-shell'
import { stripAnsi } from './ansi'
import { BASH_MAX_BYTES, BASH_MAX_LINES, formatKb, tailLines } from './truncate'

/**
 * How the agent-shell tools (bash, shell_read, shell_write, shell_interrupt) show a command's output
 * to the model: the text from a position on, carriage-return overwrites applied, cut to the bash
 * budget (`maxBytes`: `toolBudget` of the run's output budget) with a pointer to the full output on
 * disk.
 */
export async function outputFrom(
  cmd: AgentCommand,
  from: number,
  maxBytes: number = BASH_MAX_BYTES,
): Promise<{ text: string; totalLines: number; spillPath: string | null; note: string | null }> {
  // A finished command's spill file is complete before anyone is pointed at it.
  if (cmd.done) await cmd.output.close()
  const { text: raw, missing } = cmd.output.since(from)
  const text = collapseCarriageReturns(raw)
  const tail = tailLines(text, BASH_MAX_LINES, maxBytes)
  const truncated = tail.truncated || missing > 0
  if (!truncated)
    return { text: tail.text, totalLines: tail.totalLines, spillPath: null, note: null }
  let spillPath: string | null = null
  let spillError: string | null = cmd.output.spillError
  if (!cmd.output.spilled) {
    // Everything is still in memory: put it on disk for the model to page through.
    try {
      await writeFile(cmd.output.spillPath, cmd.output.since(0).text, {
        flag: 'w',
        mode: PRIVATE_FILE_MODE,
      })
      spillPath = cmd.output.spillPath
    } catch (err) {
      spillError = err instanceof Error ? err.message : String(err)
    }
  } else if (!spillError) spillPath = cmd.output.spillPath
  const where =
    spillPath !== null
      ? `Full output: ${spillPath}. Use read with offset to see more.`
      : `The full output could not be saved: ${spillError ?? 'unknown error'}.`
  // From the start the whole output's lines are known; from a read cursor, count what is new.
  const totalLines = from === 0 ? cmd.output.lineCount : tail.totalLines
  const shown = tail.text === '' ? 0 : tail.text.split('\n').length
  const what =
    from === 0 ? `${totalLines} lines (from line ${totalLines - shown + 1})` : 'the new output'
  const note = tail.partialFirst
    ? `[Output truncated: showing the last ${formatKb(maxBytes)} of the output. ${where}]`
    : `[Output truncated: showing the last ${shown} lines of ${what}. ${where}]`
  return { text: tail.text, totalLines, spillPath, note }
}

/** What the shell printed when it did not run the command at all (a parse error): not the echo. */
export function preambleText(cmd: AgentCommand): string {
  const text = collapseCarriageReturns(stripAnsi(cmd.preamble).replace(/\r\n/g, '\n'))
  const lastLine = cmd.command.trim().split('\n').pop() ?? ''
  const at = lastLine ? text.lastIndexOf(lastLine) : -1
  const rest = at === -1 ? text : text.slice(at + lastLine.length)
  return rest.replace(/^\n+/, '').trimEnd()
}

/** The closing line: how the command stands. */
export function statusLine(cmd: AgentCommand, waitedMs: number | null): string {
  if (!cmd.done) {
    return (
      `Still running after ${waitedMs ?? 0} ms (handle ${cmd.id}): the command keeps running in the shell. ` +
      `Use shell_read to wait for more output or for it to finish, shell_write to type into it ` +
      `(answer a prompt, feed a REPL), or shell_interrupt to stop it (Ctrl-C).`
    )
  }
  if (cmd.shellEnded) {
    return `The shell ended while the command ran${cmd.exitCode !== null ? ` (code ${cmd.exitCode})` : ''}; a new shell starts with your next command.`
  }
  return cmd.exitCode === null ? 'Exit code: unknown' : `Exit code: ${cmd.exitCode}`
}

/** The result text: notes, the (new) output, the status line. */
export function compose(parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string').join('\n\n')
}

/** The result of shell_read / shell_write / shell_interrupt: what is new, then how it stands. */
export async function newOutputResult(
  cmd: AgentCommand,
  waitedMs: number,
  lead: string | null = null,
  maxBytes: number = BASH_MAX_BYTES,
): Promise<{ content: string; details: Record<string, unknown>; failed: boolean }> {
  const out = await outputFrom(cmd, cmd.readCursor, maxBytes)
  cmd.readCursor = cmd.output.length
  const body = out.text === '' && !out.note ? '(no new output)' : out.text
  const content = compose([lead, out.note, body, statusLine(cmd, waitedMs)])
  const details: Record<string, unknown> = {
    handle: cmd.id,
    running: !cmd.done,
    exitCode: cmd.exitCode,
    terminalId: cmd.terminalId,
  }
  if (out.spillPath) details.spillPath = out.spillPath
  return { content, details, failed: cmd.done && cmd.exitCode !== 0 }
}

/** The handle the model named must be its current command's (when it names one). */
export function handleMismatch(
  cmd: AgentCommand | null,
  handle: string | undefined,
): string | null {
  if (handle === undefined || cmd === null || cmd.id === handle) return null
  return `There is no running command ${handle}: your last command is ${cmd.id}${cmd.done ? ' (finished)' : ''}.`
}
