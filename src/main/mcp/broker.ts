import type { McpList, McpServerConfig, McpServerStatus } from '../../shared/contract/mcp'
import type { Logger } from '../core/logger'
import type { SecretStore } from '../secrets/secret-store'
import type { Settings } from '../sessions/settings'
import type { AnyTool } from '../tools/types'
import type { McpServerEntry } from './config'
import {
  WORKSPACE_MCP_FILE,
  envSecretName,
  headerSecretName,
  loadWorkspaceServers,
  serverTarget,
} from './config'
import { McpConnection, restartBackoffMs } from './connection'
import { McpOAuth } from './oauth'
import { searchTools } from './search-tools'
import { exposedToolName, mcpTool, schemaTokens } from './tools'

/** Share of the model's window all servers' tool schemas may take before they go behind search. */
export const MCP_SCHEMA_SHARE = 0.1

export interface McpWorkspace {
  root: string
  trusted: boolean
}

/** The MCP tools a run offers, and which of them (listed or behind `mcp_call`) only read. */
export interface McpOffer {
  tools: AnyTool[]
  readOnly: ReadonlySet<string>
}

export interface BrokerDeps {
  settings: Settings
  secrets: SecretStore
  logger: Logger
  /** The environment stdio servers start with: the user's, without Paddock's secrets. */
  serverEnv: () => Record<string, string>
  /** A server's configuration, state or tools changed. */
  onChange: () => void
  now?: () => number
  /** Wait before restart `n` (0-based), in ms (default: 1 s doubling to 60 s). */
  backoffMs?: (n: number) => number
  /**
   * Show the consent page of a remote server that needs a sign-in (OAuth): the desktop app opens
   * the browser; by default the address is logged and shown as the server's state.
   */
  openAuthorization?: (server: string, url: URL) => void
  /** Start a server marked `sandboxed` inside the sandbox (see `ConnectionDeps.sandbox`). */
  sandbox?: (
    server: string,
    root: string | undefined,
    command: string,
    args: string[],
  ) =>
    { file: string; args: string[]; env?: Record<string, string>; cwd: string } | { error: string }
}

/**
 * The host's MCP broker: each configured server runs once, shared by every session, started
 * when a run first needs tools. The user's servers come from settings (`mcp.servers`), a trusted
 * workspace's from its `.mcp.json`.
 */
export class McpBroker {
  private readonly conns = new Map<string, { launch: string; conn: McpConnection }>()
  private closed = false

  constructor(private readonly deps: BrokerDeps) {}

  /** The user's stored servers (a list that no longer parses counts as none, and is logged). */
  userConfigs(): McpServerConfig[] {
    return this.deps.settings.read('mcp.servers', this.deps.logger, 'no MCP server is used') ?? []
  }

  /** The servers for a workspace, the user's first; a workspace's server cannot shadow one. */
  entries(workspace?: McpWorkspace): { servers: McpServerEntry[]; ignored?: string } {
    const { secrets } = this.deps
    const user: McpServerEntry[] = this.userConfigs().map((config) => ({
      key: `user:${config.name}`,
      source: 'user',
      config,
      headers: () => {
        if (config.transport !== 'http') return {}
        const out: Record<string, string> = {}
        for (const name of config.headers) {
          const value = secrets.get(headerSecretName(config.name, name))
          if (value !== null) out[name] = value
        }
        return out
      },
      secretEnv: () => {
        if (config.transport !== 'stdio') return {}
        const out: Record<string, string> = {}
        for (const name of config.secretEnv) {
          const value = secrets.get(envSecretName(config.name, name))
          if (value !== null) out[name] = value
        }
        return out
      },
    }))
    if (!workspace) return { servers: user }
    const own = loadWorkspaceServers(workspace.root, workspace.trusted)
    const taken = new Set(user.map((s) => s.config.name))
    const shadowed = own.servers.filter((s) => taken.has(s.config.name)).map((s) => s.config.name)
    const notes = [
      ...(own.ignored ? [own.ignored] : []),
      ...(shadowed.length
        ? [
            `${WORKSPACE_MCP_FILE}: ${shadowed.join(', ')} not used (a server of yours has the name)`,
          ]
        : []),
    ]
    return {
      servers: [...user, ...own.servers.filter((s) => !taken.has(s.config.name))],
      ...(notes.length ? { ignored: notes.join(' ') } : {}),
    }
  }

  /**
   * The tools a run offers: the enabled servers are started if they are not (each waited for up
   * to its startup timeout; one that is late is left out of this run, not waited for longer). When
   * their schemas together take more than {@link MCP_SCHEMA_SHARE} of `contextWindow`, only the
   * pinned servers' tools are listed and the rest are reached through `mcp_search`/`mcp_call`.
   */
  async offer(workspace: McpWorkspace, contextWindow: number): Promise<McpOffer> {
    const { servers } = this.entries(workspace)
    this.dropStale(workspace, servers)
    const enabled = servers.filter((s) => s.config.enabled)
    if (enabled.length === 0) return { tools: [], readOnly: new Set() }
    const conns = enabled.map((entry) => ({ entry, conn: this.connection(entry, workspace) }))
    await Promise.all(
      conns.map(({ conn }) => waitUpTo(conn.ensureStarted(), conn.startupTimeoutMs)),
    )
    const listed: AnyTool[] = []
    const hidden: AnyTool[] = []
    const all: AnyTool[] = []
    for (const { entry, conn } of conns) {
      if (conn.state !== 'ready') continue
      const off = new Set(entry.config.disabledTools)
      for (const tool of conn.tools) {
        if (off.has(tool.name)) continue
        const t = mcpTool({
          server: entry.config.name,
          tool,
          call: (args, signal) => conn.call(tool.name, args, signal),
        })
        all.push(t)
        ;(entry.config.pinned ? listed : hidden).push(t)
      }
    }
    const readOnly = new Set(all.filter((t) => t.readOnly).map((t) => t.name))
    if (schemaTokens(all) <= contextWindow * MCP_SCHEMA_SHARE) return { tools: all, readOnly }
    return { tools: [...listed, ...(hidden.length ? searchTools(hidden) : [])], readOnly }
  }

  /** Servers, states and tools; `start`: start the enabled ones and wait for them first. */
  async list(workspace?: McpWorkspace, start = false): Promise<McpList> {
    const { servers, ignored } = this.entries(workspace)
    if (start) {
      await Promise.all(
        servers
          .filter((s) => s.config.enabled)
          .map((s) => this.connection(s, workspace))
          .map((c) => waitUpTo(c.ensureStarted(), c.startupTimeoutMs)),
      )
    }
    return {
      servers: servers.map((s) => this.status(s)),
      ...(ignored ? { ignored: { file: WORKSPACE_MCP_FILE, reason: ignored } } : {}),
    }
  }

  /** Stop and start a server again now (after it stayed down too). */
  async restart(name: string, workspace?: McpWorkspace): Promise<boolean> {
    const entry = this.entries(workspace).servers.find((s) => s.config.name === name)
    if (!entry) return false
    const conn = this.connection(entry, workspace)
    await waitUpTo(conn.restart(), conn.startupTimeoutMs)
    return true
  }

  /** Stop the servers the user removed or turned off, or whose launch settings changed. */
  async sync(): Promise<void> {
    const keep = new Map(
      this.userConfigs()
        .filter((c) => c.enabled)
        .map((c) => [`user:${c.name}`, launchKey(c)]),
    )
    const stopping: Array<Promise<void>> = []
    for (const [key, { launch, conn }] of this.conns) {
      if (!key.startsWith('user:') || keep.get(key) === launch) continue
      this.conns.delete(key)
      stopping.push(conn.close())
    }
    await Promise.all(stopping)
    this.deps.onChange()
  }

  /**
   * Stop the workspace's servers that no longer apply: its file changed, or the workspace is no
   * longer trusted.
   */
  private dropStale(workspace: McpWorkspace, servers: McpServerEntry[]): void {
    const prefix = `workspace:${workspace.root}:`
    const keep = new Set(servers.map((s) => s.key))
    for (const [key, { conn }] of this.conns) {
      if (!key.startsWith(prefix) || keep.has(key)) continue
      this.conns.delete(key)
      void conn.close()
    }
  }

  /** The process ids of the stdio servers running now. */
  processIds(): number[] {
    return [...this.conns.values()]
      .map(({ conn }) => conn.processId)
      .filter((p): p is number => p !== null)
  }

  /** Stop every server (the host exits); stdio servers are signalled at once. */
  async close(): Promise<void> {
    this.closed = true
    const all = [...this.conns.values()].map(({ conn }) => conn.close())
    this.conns.clear()
    await Promise.all(all)
  }

  private connection(entry: McpServerEntry, workspace?: McpWorkspace): McpConnection {
    const launch = launchKey(entry.config)
    const known = this.conns.get(entry.key)
    if (known && known.launch === launch) return known.conn
    if (known) void known.conn.close()
    const { config } = entry
    // A remote server of the user's that sends no Authorization header of its own may sign in.
    const oauth =
      config.transport === 'http' &&
      entry.source === 'user' &&
      !config.headers.some((h) => h.toLowerCase() === 'authorization')
        ? new McpOAuth({
            server: config.name,
            url: new URL(config.url),
            secrets: this.deps.secrets,
            logger: this.deps.logger,
            now: this.deps.now ?? Date.now,
            openAuthorization:
              this.deps.openAuthorization ??
              ((server, url) =>
                this.deps.logger.log('info', 'mcp server needs a sign-in', {
                  server,
                  url: url.toString(),
                })),
          })
        : undefined
    const conn = new McpConnection({
      entry,
      ...(oauth ? { oauth } : {}),
      env: this.deps.serverEnv,
      ...(entry.source === 'workspace' && workspace ? { cwd: workspace.root } : {}),
      logger: this.deps.logger,
      onChange: () => {
        if (!this.closed) this.deps.onChange()
      },
      now: this.deps.now ?? Date.now,
      backoffMs: this.deps.backoffMs ?? restartBackoffMs,
      ...(this.deps.sandbox
        ? {
            sandbox: (command: string, args: string[], cwd: string | undefined) =>
              this.deps.sandbox!(entry.config.name, cwd, command, args),
          }
        : {}),
    })
    this.conns.set(entry.key, { launch, conn })
    return conn
  }

  private status(entry: McpServerEntry): McpServerStatus {
    const { config } = entry
    const conn = this.conns.get(entry.key)
    const known = conn && conn.launch === launchKey(config) ? conn.conn : undefined
    const off = new Set(config.disabledTools)
    return {
      name: config.name,
      source: entry.source,
      transport: config.transport,
      target: serverTarget(config),
      enabled: config.enabled,
      pinned: config.pinned,
      state: config.enabled ? (known?.state ?? 'stopped') : 'stopped',
      tools: (known?.tools ?? []).map((t) => ({
        name: t.name,
        exposedName: exposedToolName(config.name, t.name),
        description: (t.description ?? '').slice(0, 1000),
        enabled: !off.has(t.name),
        readOnly: t.annotations?.readOnlyHint === true,
      })),
      ...(known?.lastError ? { lastError: known.lastError } : {}),
      logTail: known?.log.tail().slice(-50) ?? [],
    }
  }
}

/** What starting a server depends on: a change here means a new process. */
function launchKey(config: McpServerConfig): string {
  const { disabledTools: _d, pinned: _p, enabled: _e, ...launch } = config
  return JSON.stringify(launch)
}

/** Slack after a startup timeout, in ms, so an attempt that timed out is seen settled. */
const SETTLE_MS = 250

/** Wait for `work`, but no longer than `ms` (and a little slack; the work goes on). */
function waitUpTo(work: Promise<unknown>, ms: number): Promise<void> {
  ms += SETTLE_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
    timer.unref()
  })
  return Promise.race([work.then(() => undefined), late]).finally(() => clearTimeout(timer))
}
