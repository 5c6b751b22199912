import { randomBytes } from 'node:crypto'
import { constants as osConstants } from 'node:os'
import { StringDecoder } from 'node:string_decoder'
import type { TerminalExit, TerminalInfo, TerminalScreen } from '../../shared/terminals'
import type { Logger } from '../core/logger'
import type { ClientPort, TerminalDraft } from './fanout'
import { Fanout } from './fanout'
import type { ShellFamily } from './integration'
import type { Mark, Piece } from './marks'
import { MarkParser } from './marks'
import type { EphemeralEvent } from '../../shared/events'
import { killShellTree } from './process-tree'
import type { IPty, PtyModule } from './pty'
import { Screen } from './screen'
import { ScreenFeed } from './screen-feed'

/** Resizes are applied after this long without another (ms). */
export const RESIZE_DEBOUNCE_MS = 50

export interface StartSpec {
  shell: string
  family: ShellFamily
  args: string[]
  cwd: string
  env: Record<string, string>
  nonce: string
  /** What to spawn instead of `shell args` (the same shell inside the sandbox). */
  spawn?: { file: string; args: string[] }
}

export interface TerminalOptions {
  id: string
  sessionId: string
  kind: 'agent' | 'user'
  title: string
  cols: number
  rows: number
  scrollback: number
  pty: PtyModule
  logger: Logger
  stamp: (draft: TerminalDraft) => EphemeralEvent
  /** Called whenever something `info()` shows changed. */
  onState: () => void
}

/** A new random nonce for a shell start. */
export function newNonce(): string {
  return randomBytes(8).toString('hex')
}

function signalName(signal: number | undefined): string | null {
  if (!signal) return null
  for (const [name, n] of Object.entries(osConstants.signals)) if (n === signal) return name
  return `signal ${signal}`
}

/**
 * One terminal: a PTY running a shell (restartable), the host's screen of it, and its clients.
 * Output flows PTY → UTF-8 decoder → mark parser → screen → clients; the screen's parsing pace
 * pauses and resumes the PTY. Marks drive `busy`, `cwd` and the command observers (agent-shell.ts).
 */
export class Terminal {
  readonly id: string
  readonly sessionId: string
  readonly kind: 'agent' | 'user'
  readonly title: string
  readonly screen: Screen
  private readonly fanout: Fanout
  private pty: IPty | null = null
  private generation = 0
  private decoder = new StringDecoder('utf8')
  private parser: MarkParser | null = null
  private readonly pauses = new Set<string>()
  private readonly feed: ScreenFeed
  private floodTimer: NodeJS.Timeout | null = null
  private readonly observers = new Set<(piece: Piece) => void>()
  private readonly stateObservers = new Set<() => void>()
  private resizeTimer: NodeJS.Timeout | null = null
  private wantedSize: { cols: number; rows: number }

  status: TerminalInfo['status'] = 'starting'
  exit: TerminalExit | null = null
  cwd: string | null = null
  shell = ''
  family: ShellFamily = 'none'
  busy: TerminalInfo['busy'] = 'idle'
  agentWaiting = false
  restoredAt: number | null = null
  /** The shell's pid (kept after it exits: its session may still hold processes). */
  pid: number | null = null
  /** At a prompt (its end mark came, no command started since). */
  atPrompt = false
  /**
   * The user typed since the shell last took a command line (or set the line aside): the line
   * editor may hold their text, a completion question, a pager (prompt-clean.ts clears it).
   */
  userTyped = false
  /** The shell shows a continuation prompt: the user's command is not finished yet. */
  inContinuation = false
  /** Screen content changed since the last save. */
  dirty = false
  /** When the screen last changed (ms since the epoch). */
  changedAt = 0
  private commandRunning = false
  private agentExpected = false
  private closingReason: string | null = null

  constructor(private readonly opts: TerminalOptions) {
    this.id = opts.id
    this.sessionId = opts.sessionId
    this.kind = opts.kind
    this.title = opts.title
    this.wantedSize = { cols: opts.cols, rows: opts.rows }
    this.screen = new Screen(opts.cols, opts.rows, opts.scrollback)
    this.fanout = new Fanout(opts.id, opts.stamp, (lines) => this.screen.snapshot(lines))
    this.feed = new ScreenFeed(this.screen, {
      parsed: (text, end) => {
        this.dirty = true
        this.changedAt = Date.now()
        this.fanout.push(text, end, this.feed.flooding)
      },
      pause: () => this.pause('screen'),
      resume: () => this.resume('screen'),
    })
  }

  info(): TerminalInfo {
    return {
      terminalId: this.id,
      sessionId: this.sessionId,
      kind: this.kind,
      title: this.title,
      status: this.status,
      exit: this.exit,
      cwd: this.cwd,
      shell: this.shell,
      cols: this.wantedSize.cols,
      rows: this.wantedSize.rows,
      restoredScrollback: this.restoredAt !== null,
      restoredAt: this.restoredAt,
      busy: this.busy,
      agentWaiting: this.agentWaiting,
    }
  }

  get running(): boolean {
    return this.pty !== null && (this.status === 'running' || this.status === 'starting')
  }

  /** Start a shell (the previous one, if any, must be gone). */
  start(spec: StartSpec): void {
    const gen = ++this.generation
    this.shell = spec.shell
    this.family = spec.family
    this.decoder = new StringDecoder('utf8')
    this.parser = spec.family === 'none' ? null : new MarkParser(spec.nonce)
    this.exit = null
    this.status = 'starting'
    this.busy = 'idle'
    this.commandRunning = false
    this.agentExpected = false
    this.atPrompt = false
    this.userTyped = false
    this.inContinuation = false
    this.closingReason = null
    this.pauses.clear()
    this.cwd ??= spec.cwd
    let pty: IPty
    try {
      const run = spec.spawn ?? { file: spec.shell, args: spec.args }
      pty = this.opts.pty.spawn(run.file, run.args, {
        name: 'xterm-256color',
        cols: this.wantedSize.cols,
        rows: this.wantedSize.rows,
        cwd: spec.cwd,
        env: spec.env,
        encoding: null,
      })
    } catch (err) {
      this.fail(
        `could not start ${spec.shell}: ${err instanceof Error ? err.message : String(err)}`,
      )
      return
    }
    this.pty = pty
    this.pid = pty.pid
    if (spec.family === 'none') this.status = 'running'
    pty.onData((data: string | Buffer) => {
      if (gen !== this.generation) return
      const text = typeof data === 'string' ? data : this.decoder.write(data)
      if (text !== '') this.consume(text)
    })
    pty.onExit(({ exitCode, signal }) => {
      if (gen !== this.generation) return
      const rest = this.decoder.end() + (this.parser?.flush() ?? '')
      if (rest !== '') this.consume(rest)
      this.pty = null
      const sig = signalName(signal)
      const reason =
        this.closingReason ??
        (sig ? `The shell was ended by ${sig}.` : `The shell exited with code ${exitCode}.`)
      this.exit = { code: sig ? null : exitCode, signal: sig, reason }
      this.status = 'exited'
      this.busy = 'idle'
      this.commandRunning = false
      this.agentExpected = false
      this.atPrompt = false
      if (!this.closingReason) this.inject(`\r\n\x1b[2m— ${reason} —\x1b[0m\r\n`)
      this.notify({ mark: { kind: 'command-end', exitCode: null } })
      this.changed()
    })
    this.changed()
  }

  /** The shell could not be started: say why, in the state and on the screen. */
  fail(reason: string): void {
    this.generation++
    this.pty = null
    this.status = 'failed'
    this.busy = 'idle'
    this.exit = { code: null, signal: null, reason }
    this.inject(`\x1b[31m${reason}\x1b[0m\r\n`)
    this.opts.logger.log('warn', 'shell failed to start', { terminal: this.id, reason })
    this.changed()
  }

  /** Keystrokes from a client. */
  input(data: string): void {
    if (!this.pty) throw new Error(this.exit?.reason ?? 'The shell is not running.')
    this.userTyped = true
    this.pty.write(data)
  }

  /** Keystrokes from the agent (agent-shell.ts): do not count as the user's typing. */
  write(data: string): void {
    if (!this.pty) throw new Error(this.exit?.reason ?? 'The shell is not running.')
    this.pty.write(data)
  }

  /** The name of the program in the foreground of the shell's terminal (Unix), if known. */
  foreground(): string | null {
    try {
      const name = this.pty?.process
      return name ? (name.split('/').pop() ?? null) : null
    } catch {
      return null
    }
  }

  /** The next command that starts is the agent's. */
  expectAgentCommand(): void {
    this.agentExpected = true
    this.busy = 'agent'
    this.atPrompt = false
    this.changed()
  }

  setAgentWaiting(waiting: boolean): void {
    if (this.agentWaiting === waiting) return
    this.agentWaiting = waiting
    this.changed()
  }

  /** Clamp, answer at once, apply after a quiet moment (a drag sends dozens). */
  resize(cols: number, rows: number): void {
    this.wantedSize = { cols, rows }
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null
      const { cols: c, rows: r } = this.wantedSize
      this.screen.resize(c, r)
      try {
        this.pty?.resize(c, r)
      } catch (err) {
        this.opts.logger.log('warn', 'resize failed', { terminal: this.id, error: String(err) })
      }
      this.changed()
    }, RESIZE_DEBOUNCE_MS)
  }

  /** Called on every change of what `info()` shows (and on exit). */
  onChange(observer: () => void): () => void {
    this.stateObservers.add(observer)
    return () => this.stateObservers.delete(observer)
  }

  onOutput(observer: (piece: Piece) => void): () => void {
    this.observers.add(observer)
    return () => this.observers.delete(observer)
  }

  /** Text that is shown but not shell output (restore banner, exit line, command anchors). */
  inject(text: string): void {
    this.feed.push(text)
  }

  attach(client: ClientPort): TerminalScreen {
    return this.fanout.attach(client)
  }

  detach(clientId: string): boolean {
    return this.fanout.detach(clientId)
  }

  ack(clientId: string, offset: number): void {
    this.fanout.ack(clientId, offset)
  }

  /** Put everything queued on the screen now, synchronously (before a save at shutdown). */
  parseNow(): void {
    this.feed.parseNow()
  }

  /** Resolves once everything the shell printed so far is on the screen. */
  whenParsed(): Promise<void> {
    return this.feed.whenParsed()
  }

  /** Pause reading the PTY for `reason` until `resume(reason)`. */
  pause(reason: string): void {
    if (this.pauses.size === 0) this.pty?.pause()
    this.pauses.add(reason)
  }

  resume(reason: string): void {
    if (!this.pauses.delete(reason)) return
    if (this.pauses.size === 0) this.pty?.resume()
  }

  /** Kill the shell and everything it started (synchronously). */
  kill(reason: string): void {
    this.closingReason = reason
    const pid = this.pid
    const pty = this.pty
    if (pty) {
      try {
        pty.kill('SIGKILL')
      } catch {
        // Already gone.
      }
    }
    // On Windows node-pty ends every process attached to the console (ConPTY) itself.
    if (pid !== null && process.platform !== 'win32') killShellTree(pid)
  }

  /** Forget the shell at once (its exit is no longer reported): for restart and close. */
  detachShell(reason: string): void {
    this.kill(reason)
    this.generation++
    this.pty = null
    this.status = 'exited'
    this.busy = 'idle'
    this.exit = { code: null, signal: 'SIGKILL', reason }
  }

  dispose(): void {
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    this.feed.dispose()
    this.fanout.dispose()
    this.screen.dispose()
    this.observers.clear()
    this.stateObservers.clear()
  }

  private consume(text: string): void {
    const pieces: Piece[] = this.parser ? this.parser.push(text) : [{ text }]
    for (const piece of pieces) {
      if ('text' in piece) this.feed.push(piece.text)
      else this.onMark(piece.mark)
      this.notify(piece)
    }
  }

  private onMark(mark: Mark): void {
    let changed = false
    this.inContinuation = mark.kind === 'continuation'
    switch (mark.kind) {
      case 'prompt-start':
      case 'continuation':
        return
      case 'prompt-end':
        this.atPrompt = true
        if (this.status === 'starting') {
          this.status = 'running'
          changed = true
        }
        break
      case 'command-start':
        this.atPrompt = false
        this.userTyped = false
        this.commandRunning = true
        this.busy = this.agentExpected ? 'agent' : 'user'
        this.agentExpected = false
        changed = true
        break
      case 'command-end':
        if (this.commandRunning || this.agentExpected) {
          this.commandRunning = false
          this.agentExpected = false
          this.busy = 'idle'
          changed = true
        }
        break
      case 'cwd':
        if (this.cwd !== mark.path) {
          this.cwd = mark.path
          changed = true
        }
        break
      case 'line-set-aside':
        this.userTyped = false
        break
    }
    if (changed) this.changed()
  }

  private changed(): void {
    this.opts.onState()
    for (const o of [...this.stateObservers]) o()
  }

  private notify(piece: Piece): void {
    for (const o of this.observers) {
      try {
        o(piece)
      } catch (err) {
        this.opts.logger.log('error', 'terminal observer failed', { error: String(err) })
      }
    }
  }
}
