import { commandKeystrokes } from './integration'
import { CommandOutput } from './command-output'
import { clearLine, pagerInForeground } from './prompt-clean'
import type { Piece } from './marks'
import type { Confinement } from '../sandbox/blocked'
import type { SpawnWrap } from './shell-launch'
import type { Terminal } from './terminal'

/** How long a starting shell may take to show its first prompt (its startup files run) (ms). */
export const PROMPT_TIMEOUT_MS = 20_000
/** After Ctrl-C, how long the command gets to end before the call returns anyway (ms). */
export const INTERRUPT_GRACE_MS = 3_000
/** After this long without the command ending, Ctrl-C is sent a second time (ms). */
const INTERRUPT_RETRY_MS = 1_000
/** While the user's command runs, how often to look whether it is a pager (ms). */
const USER_POLL_MS = 1_000
/** Output counts as settled after this long without more (shell_write, shell_read) (ms). */
export const SETTLE_MS = 300

/** A problem the model can act on (the message says how). */
export class AgentShellError extends Error {
  constructor(
    /** `no_pty`: node-pty cannot be used on this host (callers may run commands another way). */
    readonly code: 'busy' | 'no_command' | 'unavailable' | 'no_pty' | 'aborted' | 'not_ready',
    message: string,
  ) {
    super(message)
    this.name = 'AgentShellError'
  }
}

/** One command the agent typed into its shell. */
export class AgentCommand {
  readonly output: CommandOutput
  /** Between the keystrokes and the command-start mark; then running; then done. */
  phase: 'typed' | 'running' | 'done' = 'typed'
  exitCode: number | null = null
  /** The shell ended while the command ran (it exited, or was restarted or closed). */
  shellEnded = false
  /** What the shell printed before the command started (a parse error lands here). */
  preamble = ''
  /** Position up to which the model has read the output. */
  readCursor = 0
  /** The terminal it runs in (clients can find its anchor there). */
  terminalId: string | null = null
  readonly startedAt: number
  private readonly changes = new Set<() => void>()

  constructor(
    readonly id: string,
    readonly command: string,
    spillPath: string,
  ) {
    this.output = new CommandOutput(spillPath)
    this.startedAt = Date.now()
  }

  get done(): boolean {
    return this.phase === 'done'
  }

  /** Resolves on the next output or state change, or after `ms`, or on abort. */
  changed(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const finish = (): void => {
        clearTimeout(timer)
        this.changes.delete(finish)
        signal?.removeEventListener('abort', finish)
        resolve()
      }
      const timer = setTimeout(finish, Math.max(0, ms))
      this.changes.add(finish)
      signal?.addEventListener('abort', finish, { once: true })
    })
  }

  /** Wait until done, or `ms` passed, or abort. */
  async until(ms: number, signal?: AbortSignal, settle = false): Promise<void> {
    const deadline = Date.now() + ms
    let seen = this.output.length
    for (;;) {
      if (this.done || signal?.aborted) return
      const left = deadline - Date.now()
      if (left <= 0) return
      if (settle && this.output.length > this.readCursor) {
        // Output has come: return once it stops for a moment (a REPL printed its answer).
        await this.changed(Math.min(SETTLE_MS, left), signal)
        if (this.output.length === seen) return
        seen = this.output.length
        continue
      }
      await this.changed(left, signal)
      seen = this.output.length
    }
  }

  wake(): void {
    for (const c of [...this.changes]) c()
  }
}

export interface AgentShellDeps {
  /** The session's agent terminal, started (or restarted) as needed. */
  terminal: () => Promise<Terminal>
  /** Restart the agent terminal's shell (it exited or failed). */
  restart: () => Promise<Terminal>
  newCommandId: () => string
  /** The session's sandbox, for a command run as a process when there is no PTY. */
  sandbox?: SpawnWrap
  /** What the sandbox lets through now (null: commands are not confined). */
  confinement?: () => Confinement | null
}

/**
 * The agent's side of its session's shell: types one command at a time at the shell's prompt, waits
 * while the user's own command runs there, captures what the command prints between its marks, and
 * lets the model read more, write to stdin and interrupt after the call that started it returned.
 */
export class AgentShell {
  private current: AgentCommand | null = null
  private unobserve: (() => void) | null = null

  constructor(private readonly deps: AgentShellDeps) {}

  /** What the session's sandbox lets through, or null when its commands are not confined. */
  confinement(): Confinement | null {
    return this.deps.confinement?.() ?? null
  }

  /** Confines a command run as a process (no PTY here) as the shell would be; absent: unconfined. */
  get sandbox(): SpawnWrap | undefined {
    return this.deps.sandbox
  }

  /** The last command the agent started (running or done), if any. */
  get last(): AgentCommand | null {
    return this.current
  }

  /**
   * Type `command` at the prompt and wait up to `timeoutMs` for it to finish. Resolves with the
   * command (done or still running); rejects with AgentShellError when it cannot be started.
   * `notes` collects what the model should know (the shell was restarted, it waited for the user).
   */
  async run(
    command: string,
    opts: { timeoutMs: number; signal: AbortSignal; spillPath: string; notes: string[] },
  ): Promise<AgentCommand> {
    if (this.current && !this.current.done) {
      throw new AgentShellError(
        'busy',
        `Your previous command (handle ${this.current.id}) is still running in the shell. Use shell_read to wait for it, shell_write to answer it, or shell_interrupt to stop it, then run the next command.`,
      )
    }
    const terminal = await this.ready(opts.signal, opts.notes)
    // The user may have left text, a completion question or its pager at the prompt.
    await clearLine(terminal, opts.signal)
    if (opts.signal.aborted) throw new AgentShellError('aborted', 'Aborted.')
    const cmd = new AgentCommand(this.deps.newCommandId(), command, opts.spillPath)
    cmd.terminalId = terminal.id
    this.track(terminal, cmd)
    terminal.expectAgentCommand()
    // An anchor clients can find (OSC 6973;agent;<handle>): where the agent's command begins.
    terminal.inject(`\x1b]6973;agent;${cmd.id}\x07`)
    terminal.write(commandKeystrokes(terminal.family, command))
    await cmd.until(opts.timeoutMs, opts.signal)
    if (opts.signal.aborted && !cmd.done) await this.interrupt()
    return cmd
  }

  /** Keystrokes for the running command (answer a prompt, feed a REPL). */
  async write(text: string): Promise<AgentCommand> {
    const cmd = this.running()
    const terminal = await this.deps.terminal()
    terminal.write(text)
    return cmd
  }

  /** Ctrl-C to the running command; waits a moment for it to end. */
  async interrupt(): Promise<AgentCommand> {
    const cmd = this.running()
    const terminal = await this.deps.terminal()
    if (terminal.running) terminal.write('\x03')
    // A Ctrl-C that lands between the shell's pre-command hook and the program's start can be
    // swallowed; if the command is still there after a moment, say it once more.
    await cmd.until(INTERRUPT_RETRY_MS)
    if (!cmd.done && terminal.running) terminal.write('\x03')
    await cmd.until(INTERRUPT_GRACE_MS - INTERRUPT_RETRY_MS)
    return cmd
  }

  /** The agent's running command, or an error the model can act on. */
  running(): AgentCommand {
    const cmd = this.current
    if (!cmd || cmd.done) {
      throw new AgentShellError(
        'no_command',
        cmd
          ? `Your last command (handle ${cmd.id}) has finished; start a new one with bash.`
          : 'No command of yours is running in the shell; start one with bash.',
      )
    }
    return cmd
  }

  /** The terminal at an idle prompt: started, restarted, or after the user's command ended. */
  private async ready(signal: AbortSignal, notes: string[]): Promise<Terminal> {
    let terminal = await this.deps.terminal()
    if (ended(terminal)) {
      const why = terminal.exit?.reason ?? 'The shell had ended.'
      terminal = await this.deps.restart()
      notes.push(`${why} A new shell was started${terminal.cwd ? ` in ${terminal.cwd}` : ''}.`)
    }
    if (ended(terminal) && terminal.status === 'failed') {
      throw new AgentShellError(
        'unavailable',
        terminal.exit?.reason ?? 'The shell could not start.',
      )
    }
    const deadline = Date.now() + PROMPT_TIMEOUT_MS
    let waitedForUser = false
    let pagerQuit = false
    try {
      for (;;) {
        if (signal.aborted) throw new AgentShellError('aborted', 'Aborted.')
        if (ended(terminal)) {
          throw new AgentShellError(
            'unavailable',
            terminal.exit?.reason ?? 'The shell ended before it showed a prompt.',
          )
        }
        if (terminal.busy === 'user') {
          // A pager the user left open only shows text: quit it (once). Any other command of
          // theirs is never typed into: wait, visibly (and look again for a pager now and then).
          const pager = pagerQuit ? null : pagerInForeground(terminal)
          if (pager) {
            pagerQuit = true
            terminal.write('q')
            notes.push(
              `The user had ${pager} open in the shell; it was closed (q) so your command could run.`,
            )
          } else {
            waitedForUser = true
            terminal.setAgentWaiting(true)
          }
          await waitFor(terminal, () => terminal.busy !== 'user', USER_POLL_MS, signal)
          continue
        }
        if (terminal.status === 'running' && terminal.busy === 'idle' && terminal.atPrompt) break
        const left = deadline - Date.now()
        if (left <= 0) {
          throw new AgentShellError(
            'not_ready',
            `The shell did not show a prompt within ${PROMPT_TIMEOUT_MS / 1000} s; its startup files may be waiting for input. The user can look at the terminal, or you can try again.`,
          )
        }
        await waitFor(terminal, () => terminal.atPrompt, left, signal)
      }
    } finally {
      terminal.setAgentWaiting(false)
    }
    if (waitedForUser)
      notes.push('The user had a command running in the shell; yours ran after it ended.')
    return terminal
  }

  private track(terminal: Terminal, cmd: AgentCommand): void {
    this.unobserve?.()
    this.current = cmd
    const finish = (exitCode: number | null, shellEnded: boolean): void => {
      cmd.exitCode = exitCode
      cmd.shellEnded = shellEnded
      cmd.phase = 'done'
      cmd.output.end()
      // zsh pads the line before its prompt (PROMPT_SP) before the end mark: not the command's.
      if (terminal.family === 'zsh') cmd.output.trimTail(/[%#]? *\r \r$/)
      terminal.resume(`capture:${cmd.id}`)
      this.unobserve?.()
      this.unobserve = null
      cmd.wake()
    }
    this.unobserve = terminal.onOutput((piece: Piece) => {
      if (cmd.done) return
      if ('text' in piece) {
        if (cmd.phase === 'running') {
          if (!cmd.output.push(piece.text)) {
            // The spill file is behind: hold the shell until it catches up.
            terminal.pause(`capture:${cmd.id}`)
            cmd.output.onDrain(() => terminal.resume(`capture:${cmd.id}`))
          }
        } else cmd.preamble = (cmd.preamble + piece.text).slice(-4096)
        cmd.wake()
        return
      }
      const mark = piece.mark
      if (mark.kind === 'command-start' && cmd.phase === 'typed') {
        cmd.phase = 'running'
        cmd.wake()
      } else if (mark.kind === 'command-end') {
        // The shell itself ended (`exit 3`): its exit code is the command's.
        const shellEnded = !terminal.running
        finish(mark.exitCode ?? (shellEnded ? (terminal.exit?.code ?? null) : null), shellEnded)
      }
    })
  }

  /** The shell this agent types into went away (session deleted, host stopping). */
  dispose(): void {
    this.unobserve?.()
    this.unobserve = null
    if (this.current && !this.current.done) {
      this.current.phase = 'done'
      this.current.shellEnded = true
      this.current.output.end()
      this.current.wake()
    }
  }
}

function ended(terminal: Terminal): boolean {
  return terminal.status === 'exited' || terminal.status === 'failed'
}

/** Resolve when `ok()` holds (checked on every output piece and state change), or time/abort. */
function waitFor(
  terminal: Terminal,
  ok: () => boolean,
  ms: number | null,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (ok() || signal.aborted) return resolve()
    let timer: NodeJS.Timeout | null = null
    const check = (): void => {
      if (ok() || ended(terminal)) done()
    }
    const offOutput = terminal.onOutput(check)
    const offChange = terminal.onChange(check)
    const done = (): void => {
      if (timer) clearTimeout(timer)
      offOutput()
      offChange()
      signal.removeEventListener('abort', done)
      resolve()
    }
    if (ms !== null) timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
