import { join } from 'node:path'
import { ContractError } from '../../shared/errors'
import type { EphemeralEvent } from '../../shared/events'
import type { TerminalInfo, TerminalScreen } from '../../shared/terminals'
import { newId } from '../core/ids'
import type { Logger } from '../core/logger'
import type { Confinement } from '../sandbox/blocked'
import { AgentShell, AgentShellError } from './agent-shell'
import type { ClientPort, TerminalDraft } from './fanout'
import { clampSize, isDirectory, launchShell, type SpawnWrap } from './shell-launch'
type WrapArgs = Parameters<SpawnWrap>
import type { PtyModule } from './pty'
import { loadPty } from './pty'
import { ScrollbackStore } from './scrollback-store'
import { Terminal } from './terminal'

/**
 * Serializing a long scrollback takes a while: a terminal whose output keeps coming (a flood, a
 * build) is saved once it has been quiet for SAVE_QUIET_MS, or at the latest every SAVE_MAX_MS.
 */
export const SAVE_QUIET_MS = 1_000
export const SAVE_MAX_MS = 30_000
export { clampSize }
export const DEFAULT_SCROLLBACK_LINES = 1_000
const DEFAULT_SIZE = { cols: 100, rows: 30 }

export interface ShellManagerOptions {
  dataDir: string
  logger: Logger
  /** Environment for shells, already stripped of keys and Paddock's secrets. */
  env: () => Record<string, string>
  /** The session's workspace folder (throws `not_found` for an unknown session). */
  workspaceOf: (sessionId: string) => string
  /** Settings read at each shell start. */
  settings: () => { scrollbackLines?: number; shell?: string }
  /** Deliver a live event to every client (`terminal.state`, `terminal.closed`). */
  publish: (sessionId: string, draft: TerminalDraft) => void
  /** Stamp a live event of a session's stream for one client. */
  stamp: (sessionId: string, draft: TerminalDraft) => EphemeralEvent
  platform?: NodeJS.Platform
  now?: () => number
  /** Start a session's agent shell inside its sandbox (absent: never sandboxed). */
  sandbox?: (sessionId: string, root: string, ...run: WrapArgs) => ReturnType<SpawnWrap>
  /** What a session's sandbox lets through (null: not confined), to explain what it refused. */
  confinement?: (sessionId: string, root: string) => Confinement | null
  /** Test seam: a node-pty stand-in, or null to simulate node-pty failing to load. */
  pty?: PtyModule | null
}

interface SessionShells {
  agent: Terminal | null
  users: Terminal[]
  agentShell: AgentShell
  nextUser: number
  nextCommand: number
}

/**
 * Every terminal of one engine host: per session an agent terminal (started on first use, its
 * scrollback restored after a host restart) and the user's terminals. Shells belong to the host,
 * not to a window; clients attach and detach. Electron-free; all node-pty use goes through here.
 */
export class ShellManager {
  private pty: PtyModule | null = null
  private ptyError: string | null = null
  private loading: Promise<void> | null = null
  private readonly sessions = new Map<string, SessionShells>()
  private readonly terminals = new Map<string, Terminal>()
  private readonly clients = new Map<string, ClientPort>()
  private readonly scrollback: ScrollbackStore
  private readonly integrationDir: string
  private readonly pendingState = new Set<Terminal>()
  /** When each agent terminal was last saved (ms since the epoch). */
  private readonly savedAt = new Map<string, number>()
  private stateScheduled = false
  private readonly saveTimer: NodeJS.Timeout
  private closed = false
  private readonly now: () => number
  private readonly platform: NodeJS.Platform

  constructor(private readonly opts: ShellManagerOptions) {
    this.now = opts.now ?? Date.now
    this.platform = opts.platform ?? process.platform
    this.scrollback = new ScrollbackStore(opts.dataDir, opts.logger)
    this.integrationDir = join(opts.dataDir, 'shell-integration')
    if (opts.pty !== undefined) {
      this.pty = opts.pty
      if (opts.pty === null) this.ptyError = 'node-pty is not available'
      this.loading = Promise.resolve()
    }
    this.saveTimer = setInterval(() => this.saveDirty(), SAVE_QUIET_MS)
    this.saveTimer.unref()
  }

  /** Why terminals cannot run here (node-pty failed to load), or null once it has loaded. */
  async unavailable(): Promise<string | null> {
    this.loading ??= loadPty().then((r) => {
      if ('pty' in r) this.pty = r.pty
      else {
        this.ptyError = r.error
        this.opts.logger.log('warn', 'node-pty could not be loaded; terminals are unavailable', {
          error: r.error,
        })
      }
    })
    await this.loading
    return this.pty ? null : (this.ptyError ?? 'node-pty is not available')
  }

  // ── clients ──

  /** A client's event subscription: terminal output it attaches to goes here. */
  connect(client: ClientPort): () => void {
    this.clients.set(client.id, client)
    return () => {
      if (this.clients.get(client.id) !== client) return
      this.clients.delete(client.id)
      for (const t of this.terminals.values()) t.detach(client.id)
    }
  }

  // ── the contract ──

  async list(sessionId: string): Promise<TerminalInfo[]> {
    const shells = this.sessionShells(sessionId)
    const agent = await this.ensureAgent(sessionId)
    return [agent.info(), ...shells.users.map((t) => t.info())]
  }

  async create(sessionId: string, size?: { cols?: number; rows?: number }): Promise<TerminalInfo> {
    await this.requirePty()
    const shells = this.sessionShells(sessionId)
    const { cols, rows } = clampSize(
      size?.cols ?? DEFAULT_SIZE.cols,
      size?.rows ?? DEFAULT_SIZE.rows,
    )
    shells.nextUser += 1
    const terminal = this.newTerminal(sessionId, 'user', `Terminal ${shells.nextUser}`, cols, rows)
    shells.users.push(terminal)
    this.startShell(terminal, this.opts.workspaceOf(sessionId))
    return terminal.info()
  }

  async attach(
    clientId: string | undefined,
    terminalId: string,
  ): Promise<TerminalScreen & { terminal: TerminalInfo }> {
    const client = this.client(clientId)
    const terminal = this.terminal(terminalId)
    const screen = terminal.attach(client)
    return { ...screen, terminal: terminal.info() }
  }

  detach(clientId: string | undefined, terminalId: string): void {
    const terminal = this.terminal(terminalId)
    if (clientId) terminal.detach(clientId)
  }

  ack(clientId: string | undefined, terminalId: string, offset: number): void {
    const terminal = this.terminal(terminalId)
    if (clientId) terminal.ack(clientId, offset)
  }

  input(terminalId: string, data: string): void {
    const terminal = this.terminal(terminalId)
    if (!terminal.running) {
      throw new ContractError(
        'invalid_params',
        `${terminal.exit?.reason ?? 'The shell is not running.'} Restart the shell to type into it.`,
      )
    }
    terminal.input(data)
  }

  resize(terminalId: string, cols: number, rows: number): { cols: number; rows: number } {
    const terminal = this.terminal(terminalId)
    const size = clampSize(cols, rows)
    terminal.resize(size.cols, size.rows)
    return size
  }

  async restart(terminalId: string): Promise<TerminalInfo> {
    await this.requirePty()
    const terminal = this.terminal(terminalId)
    this.restartShell(terminal)
    return terminal.info()
  }

  close(terminalId: string): void {
    const terminal = this.terminal(terminalId)
    if (terminal.kind === 'agent') {
      throw new ContractError(
        'invalid_params',
        "The agent's terminal cannot be closed (the agent runs its commands there); restart its shell instead.",
      )
    }
    const shells = this.sessions.get(terminal.sessionId)
    if (shells) shells.users = shells.users.filter((t) => t !== terminal)
    this.terminals.delete(terminal.id)
    terminal.detachShell('The terminal was closed.')
    terminal.dispose()
    this.opts.publish(terminal.sessionId, { type: 'terminal.closed', terminalId: terminal.id })
  }

  // ── the agent ──

  /** The agent's access to its session's shell (the tools' `ctx.shell`). */
  agentShell(sessionId: string): AgentShell {
    return this.sessionShells(sessionId).agentShell
  }

  // ── lifecycle ──

  /**
   * The session was deleted: kill its shells and everything they started (no orphans) and forget
   * its saved scrollback.
   */
  deleteSession(sessionId: string): void {
    const shells = this.sessions.get(sessionId)
    this.sessions.delete(sessionId)
    if (shells) {
      shells.agentShell.dispose()
      for (const t of [shells.agent, ...shells.users]) {
        if (!t) continue
        this.terminals.delete(t.id)
        t.detachShell('The session was deleted.')
        t.dispose()
      }
    }
    try {
      this.scrollback.remove(sessionId)
    } catch (err) {
      this.opts.logger.log('warn', 'could not remove saved scrollback', { error: String(err) })
    }
  }

  /** Save every agent terminal's scrollback now, all it has printed included (the host stops). */
  saveAll(): void {
    for (const shells of this.sessions.values()) {
      if (!shells.agent) continue
      shells.agent.parseNow()
      this.save(shells.agent)
    }
  }

  /** Stop: save scrollback, kill every shell and what it started. Synchronous. */
  shutdown(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.saveTimer)
    this.saveAll()
    for (const shells of this.sessions.values()) shells.agentShell.dispose()
    for (const t of this.terminals.values()) {
      t.detachShell('Paddock stopped.')
      t.dispose()
    }
    this.terminals.clear()
    this.sessions.clear()
    this.clients.clear()
  }

  // ── internals ──

  private sessionShells(sessionId: string): SessionShells {
    let shells = this.sessions.get(sessionId)
    if (!shells) {
      this.opts.workspaceOf(sessionId)
      const created: SessionShells = {
        agent: null,
        users: [],
        nextUser: 1,
        nextCommand: 0,
        agentShell: new AgentShell({
          terminal: () => this.agentTerminalForTools(sessionId),
          restart: async () => {
            const t = await this.agentTerminalForTools(sessionId)
            this.restartShell(t)
            return t
          },
          newCommandId: () => `cmd-${++created.nextCommand}`,
          ...(this.opts.sandbox ? { sandbox: this.wrapFor(sessionId) } : {}),
          confinement: () =>
            this.opts.confinement?.(sessionId, this.opts.workspaceOf(sessionId)) ?? null,
        }),
      }
      shells = created
      this.sessions.set(sessionId, shells)
    }
    return shells
  }

  private async agentTerminalForTools(sessionId: string): Promise<Terminal> {
    const why = await this.unavailable()
    if (why) throw new AgentShellError('no_pty', `node-pty could not be loaded: ${why}`)
    if (this.closed) throw new AgentShellError('unavailable', 'Paddock is stopping.')
    return this.ensureAgent(sessionId)
  }

  private async ensureAgent(sessionId: string): Promise<Terminal> {
    await this.requirePty()
    const shells = this.sessionShells(sessionId)
    if (shells.agent) return shells.agent
    const saved = this.scrollback.load(sessionId)
    const { cols, rows } = saved ? clampSize(saved.cols, saved.rows) : DEFAULT_SIZE
    const terminal = this.newTerminal(sessionId, 'agent', 'Agent', cols, rows)
    shells.agent = terminal
    const workspace = this.opts.workspaceOf(sessionId)
    let cwd = workspace
    if (saved) {
      terminal.restoredAt = saved.savedAt
      const when = new Date(saved.savedAt).toLocaleString()
      terminal.inject(saved.screen)
      terminal.inject(
        `\r\n\x1b[0m\x1b[2m— restored from ${when}; the shell was restarted —\x1b[0m\r\n`,
      )
      if (saved.cwd && isDirectory(saved.cwd)) cwd = saved.cwd
    }
    this.startShell(terminal, cwd)
    return terminal
  }

  private newTerminal(
    sessionId: string,
    kind: 'agent' | 'user',
    title: string,
    cols: number,
    rows: number,
  ): Terminal {
    const lines = this.opts.settings().scrollbackLines ?? DEFAULT_SCROLLBACK_LINES
    const terminal: Terminal = new Terminal({
      id: newId(this.now()),
      sessionId,
      kind,
      title,
      cols,
      rows,
      scrollback: lines,
      pty: this.pty!,
      logger: this.opts.logger,
      stamp: (draft) => this.opts.stamp(sessionId, draft),
      onState: () => this.stateChanged(terminal),
    })
    this.terminals.set(terminal.id, terminal)
    return terminal
  }

  private restartShell(terminal: Terminal): void {
    if (terminal.running || terminal.pid !== null) terminal.detachShell('The shell was restarted.')
    terminal.inject(`\r\n\x1b[0m\x1b[2m— the shell was restarted —\x1b[0m\r\n`)
    const workspace = this.opts.workspaceOf(terminal.sessionId)
    const cwd = terminal.cwd && isDirectory(terminal.cwd) ? terminal.cwd : workspace
    this.startShell(terminal, cwd)
  }

  /** Start the terminal's shell in `cwd`; what cannot start is reported on the terminal. */
  private startShell(terminal: Terminal, cwd: string): void {
    const settings = this.opts.settings()
    // Only the agent's terminal is confined; the user's own terminals are theirs.
    const confined = this.opts.sandbox && terminal.kind === 'agent'
    launchShell(terminal, cwd, {
      ...(confined ? { sandbox: this.wrapFor(terminal.sessionId) } : {}),
      env: this.opts.env(),
      platform: this.platform,
      integrationDir: this.integrationDir,
      logger: this.opts.logger,
      ...(settings.shell ? { configuredShell: settings.shell } : {}),
    })
  }

  private wrapFor(sessionId: string): SpawnWrap {
    return (...run) => this.opts.sandbox!(sessionId, this.opts.workspaceOf(sessionId), ...run)
  }

  private async requirePty(): Promise<void> {
    const why = await this.unavailable()
    if (why) {
      throw new ContractError('internal', `Terminals are unavailable on this host: ${why}`)
    }
    if (this.closed) throw new ContractError('internal', 'Paddock is stopping.')
  }

  private terminal(terminalId: string): Terminal {
    const t = this.terminals.get(terminalId)
    if (!t) throw new ContractError('not_found', `No terminal ${terminalId} on this host.`)
    return t
  }

  private client(clientId: string | undefined): ClientPort {
    const client = clientId ? this.clients.get(clientId) : undefined
    if (!client) {
      throw new ContractError(
        'invalid_params',
        'Attaching a terminal needs an event subscription on the same connection: subscribe first.',
      )
    }
    return client
  }

  private stateChanged(terminal: Terminal): void {
    if (this.closed) return
    this.pendingState.add(terminal)
    if (this.stateScheduled) return
    this.stateScheduled = true
    setImmediate(() => {
      this.stateScheduled = false
      const list = [...this.pendingState]
      this.pendingState.clear()
      for (const t of list) {
        if (!this.terminals.has(t.id)) continue
        this.opts.publish(t.sessionId, { type: 'terminal.state', terminal: t.info() })
      }
    })
  }

  private saveDirty(): void {
    const now = Date.now()
    for (const shells of this.sessions.values()) {
      const t = shells.agent
      if (!t?.dirty) continue
      const quiet = now - t.changedAt >= SAVE_QUIET_MS
      // Never saved: counted from the first tick that saw it dirty, so a terminal whose first
      // output is a flood is not serialized in the middle of it (that stalls the shell).
      if (!this.savedAt.has(t.id)) this.savedAt.set(t.id, now)
      if (quiet || now - this.savedAt.get(t.id)! >= SAVE_MAX_MS) this.save(t)
    }
  }

  private save(terminal: Terminal): void {
    try {
      const snap = terminal.screen.snapshot()
      terminal.dirty = false
      this.savedAt.set(terminal.id, Date.now())
      this.scrollback.save({
        version: 1,
        sessionId: terminal.sessionId,
        savedAt: this.now(),
        cwd: terminal.cwd,
        cols: snap.cols,
        rows: snap.rows,
        screen: snap.screen,
      })
    } catch (err) {
      this.opts.logger.log('warn', 'could not save terminal scrollback', {
        terminal: terminal.id,
        error: String(err),
      })
    }
  }
}
