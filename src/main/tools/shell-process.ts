import { spawn } from 'node:child_process'
import type { SpawnWrap } from '../shells/shell-launch'
import type { ChildProcess } from 'node:child_process'
import { constants } from 'node:fs'
import { access, mkdir } from 'node:fs/promises'
import { PRIVATE_DIR_MODE } from '../core/private-files'
import { describeError, errnoCode } from './fs-errors'
import { OutputCapture } from './output-capture'
import { aborted, fail, ok } from './result'
import {
  BASH_MAX_BYTES,
  BASH_MAX_LINES,
  formatKb,
  spillPath,
  tailLines,
  toolBudget,
} from './truncate'
import type { ToolContext, ToolResult } from './types'

/**
 * The `bash` tool without a terminal: each command runs as its own process (`bash -c`, stdin
 * closed) and is killed with its process group on timeout or abort. Used where no agent shell is
 * available — node-pty failed to load, or a tool context without one (the CLI's tests).
 */

/** After SIGTERM, how long the process group gets before SIGKILL (ms). */
export const KILL_GRACE_MS = 2_000
/**
 * After the shell exits, how long its output pipes may stay silent before they are closed (ms).
 * A background process (`server &`) inherits them and would otherwise hold the call open; it keeps
 * running, but what it prints later is not captured.
 */
export const EXIT_DRAIN_MS = 250

export interface ProcessCommand {
  command: string
}

async function pickShell(): Promise<string> {
  try {
    await access('/bin/bash', constants.X_OK)
    return '/bin/bash'
  } catch {
    return '/bin/sh'
  }
}

/** Signal a whole process group (the child was started as its leader); gone groups are fine. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch (err) {
    if (errnoCode(err) !== 'ESRCH') child.kill(signal)
  }
}

interface Outcome {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  aborted: boolean
  spawnError: string | null
}

function run(
  shell: string,
  input: ProcessCommand,
  ctx: {
    workspaceRoot: string
    env: Record<string, string>
    signal: AbortSignal
    sandbox?: SpawnWrap | undefined
  },
  capture: OutputCapture,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = {
      code: null,
      signal: null,
      timedOut: false,
      aborted: false,
      spawnError: null,
    }
    const wrapped = ctx.sandbox?.(ctx.workspaceRoot, shell, ['-c', input.command])
    if (wrapped && 'error' in wrapped) {
      outcome.spawnError = wrapped.error
      return resolve(outcome)
    }
    const child = spawn(wrapped?.file ?? shell, wrapped?.args ?? ['-c', input.command], {
      cwd: ctx.workspaceRoot,
      env: { ...ctx.env, ...wrapped?.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout or an abort can kill everything it started.
      detached: true,
    })
    let done = false
    let killing = false
    let exited = false
    let paused = false
    let drainTimer: NodeJS.Timeout | undefined

    const killTree = (): void => {
      if (killing) return
      killing = true
      signalGroup(child, 'SIGTERM')
      // Not cleared when the call ends: a member that ignored SIGTERM still gets SIGKILL.
      setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS).unref()
    }
    const timer = setTimeout(() => {
      outcome.timedOut = true
      killTree()
    }, timeoutMs)
    const onAbort = (): void => {
      outcome.aborted = true
      killTree()
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })

    const finish = (): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      clearTimeout(drainTimer)
      ctx.signal.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    const armDrainTimer = (): void => {
      if (!exited) return
      clearTimeout(drainTimer)
      drainTimer = setTimeout(() => {
        if (paused) return armDrainTimer()
        child.stdout?.destroy()
        child.stderr?.destroy()
        finish()
      }, EXIT_DRAIN_MS)
    }
    const resume = (): void => {
      paused = false
      child.stdout?.resume()
      child.stderr?.resume()
    }
    const pump = (name: string, stream: NodeJS.ReadableStream | null): void => {
      stream?.on('data', (chunk: Buffer) => {
        armDrainTimer()
        if (!capture.push(name, chunk) && !paused) {
          paused = true
          child.stdout?.pause()
          child.stderr?.pause()
          capture.onDrain(resume)
        }
      })
    }
    pump('stdout', child.stdout)
    pump('stderr', child.stderr)

    child.on('error', (err) => {
      outcome.spawnError = describeError(err)
      finish()
    })
    child.on('exit', (code, signal) => {
      outcome.code = code
      outcome.signal = signal
      exited = true
      armDrainTimer()
    })
    child.on('close', finish)
    if (ctx.signal.aborted) onAbort()
  })
}

/** Run `input.command` as a process; the result reads like the terminal version's. */
export async function runInProcess(
  input: ProcessCommand,
  ctx: ToolContext,
  timeoutMs: number,
): Promise<ToolResult> {
  if (ctx.signal.aborted) return aborted()
  const shell = await pickShell()
  // If the folder cannot be made, the capture reports it (spillError) and keeps the tail only.
  await mkdir(ctx.spillDir, { recursive: true, mode: PRIVATE_DIR_MODE }).catch(() => undefined)
  const capture = new OutputCapture(spillPath(ctx.spillDir, 'bash'), BASH_MAX_BYTES)
  const started = Date.now()
  const outcome = await run(
    shell,
    input,
    { ...ctx, sandbox: ctx.shell?.sandbox },
    capture,
    timeoutMs,
  )
  await capture.finish()
  const durationMs = Date.now() - started

  const maxBytes = toolBudget(ctx.outputBudget, BASH_MAX_BYTES)
  const tail = tailLines(capture.tailText(), BASH_MAX_LINES, maxBytes, capture.totalLines)
  const keepSpill = tail.truncated && !capture.spillError
  if (!keepSpill) await capture.discard()

  const parts: string[] = []
  if (tail.truncated) {
    const shown = tail.totalLines - tail.firstLine + 1
    const where = capture.spillError
      ? `The full output could not be saved: ${capture.spillError}.`
      : `Full output: ${capture.path}. Use read with offset to see more.`
    parts.push(
      tail.partialFirst
        ? `[Output truncated: showing the last ${formatKb(maxBytes)} of line ${tail.firstLine} (the output has ${tail.totalLines} line${tail.totalLines === 1 ? '' : 's'}). ${where}]`
        : `[Output truncated: showing the last ${shown} of ${tail.totalLines} lines (from line ${tail.firstLine}). ${where}]`,
    )
  }
  parts.push(tail.text === '' && !tail.truncated ? '(no output)' : tail.text)

  let status: string
  if (outcome.spawnError) status = `Could not start ${shell}: ${outcome.spawnError}`
  else if (outcome.timedOut) {
    status = `Timed out after ${timeoutMs} ms; the command and its child processes were killed.`
  } else if (outcome.aborted) status = 'Aborted: the command and its child processes were killed.'
  else if (outcome.code !== null) status = `Exit code: ${outcome.code}`
  else status = `Killed by signal ${outcome.signal ?? 'unknown'}`
  parts.push(status)

  const details: Record<string, unknown> = {
    exitCode: outcome.code,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    aborted: outcome.aborted,
    durationMs,
    totalLines: tail.totalLines,
    shell,
  }
  if (keepSpill) details.spillPath = capture.path
  const content = parts.join('\n\n')
  return outcome.code === 0 && !outcome.timedOut ? ok(content, details) : fail(content, details)
}
