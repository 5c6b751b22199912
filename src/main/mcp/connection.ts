import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import type { CallToolResult, Tool as SdkTool } from '@modelcontextprotocol/sdk/types.js'
import {
  CallToolResultSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js'
import type { McpState } from '../../shared/contract/mcp'
import {
  DEFAULT_MCP_CALL_TIMEOUT_MS,
  DEFAULT_MCP_STARTUP_TIMEOUT_MS,
} from '../../shared/contract/mcp'
import type { Logger } from '../core/logger'
import { APP_VERSION } from '../core/version'
import type { McpServerEntry } from './config'
import type { McpOAuth } from './oauth'
import { ServerLog } from './server-log'

/** Failures within {@link FAILURE_WINDOW_MS} after which a server stays down. */
export const MAX_FAILURES = 5
/** The window failures are counted in, in ms (five minutes). */
export const FAILURE_WINDOW_MS = 5 * 60_000
/** How long a sign-in (the consent page of an OAuth server) may take, in ms. */
export const CONSENT_WAIT_MS = 5 * 60_000
/** Longest wait before a restart, in ms. */
export const MAX_RESTART_BACKOFF_MS = 60_000

/** Wait before restart `n` (0-based) in ms: 1 s doubling, at most {@link MAX_RESTART_BACKOFF_MS}. */
export function restartBackoffMs(n: number): number {
  return Math.min(MAX_RESTART_BACKOFF_MS, 1000 * 2 ** n)
}

export interface ConnectionDeps {
  entry: McpServerEntry
  /** The environment a stdio server starts with (credentials removed), before its own `env`. */
  env: () => Record<string, string>
  /** Where a stdio server starts (the workspace for a workspace's server). */
  cwd?: string
  logger: Logger
  /** State, tools or log changed. */
  onChange: () => void
  now: () => number
  /** Wait before restart `n` (0-based), in ms. */
  backoffMs: (n: number) => number
  /** A remote server's OAuth flow (absent: it is sent its configured headers only). */
  oauth?: McpOAuth
  /**
   * How a stdio server marked `sandboxed` starts: inside the sandbox (its folder as cwd), or why
   * it cannot (then it does not start at all).
   */
  sandbox?: (
    command: string,
    args: string[],
    cwd: string | undefined,
  ) =>
    { file: string; args: string[]; env?: Record<string, string>; cwd: string } | { error: string }
}

/**
 * One MCP server for the whole host: started once, on first need; restarted with backoff when it
 * dies (1 s doubling to 60 s) until it failed {@link MAX_FAILURES} times in five minutes, after
 * which it stays down with the reason until the user restarts it.
 */
export class McpConnection {
  state: McpState = 'stopped'
  tools: SdkTool[] = []
  lastError: string | undefined
  readonly log: ServerLog
  private client: Client | null = null
  private transport: Transport | null = null
  private starting: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private failures: number[] = []
  private generation = 0
  private closed = false

  constructor(private readonly deps: ConnectionDeps) {
    this.log = new ServerLog(deps.entry.config.name, deps.logger)
  }

  get config(): McpServerEntry['config'] {
    return this.deps.entry.config
  }

  /** The stdio server's process id while it runs. */
  get processId(): number | null {
    return this.transport instanceof StdioClientTransport ? this.transport.pid : null
  }

  get startupTimeoutMs(): number {
    return this.config.startupTimeoutMs ?? DEFAULT_MCP_STARTUP_TIMEOUT_MS
  }

  /**
   * Start it unless it runs or is starting; resolves when this attempt is over (ready, or failed
   * and waiting for its restart). A server that stays down is not started again here.
   */
  ensureStarted(): Promise<void> {
    if (this.closed || this.state === 'ready' || this.state === 'failed') return Promise.resolve()
    if (this.starting) return this.starting
    if (this.state === 'restarting') return Promise.resolve()
    return this.start()
  }

  /** Stop and start again now, forgetting past failures. */
  async restart(): Promise<void> {
    this.failures = []
    this.lastError = undefined
    await this.stop()
    if (this.closed) return
    await this.start()
  }

  /** Call a tool; a server that is not up says why. Rejects on timeout, abort or a dead server. */
  async call(
    name: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> {
    if (this.state !== 'ready') await this.ensureStarted()
    const client = this.client
    if (this.state !== 'ready' || !client) {
      throw new Error(
        `MCP server ${this.config.name} is not running${this.lastError ? `: ${this.lastError}` : ''}.`,
      )
    }
    // A signal of its own per call: the SDK leaves its listener on the signal it is given, and
    // a run's signal would collect one per call.
    const own = new AbortController()
    const onAbort = (): void => own.abort(signal.reason)
    if (signal.aborted) own.abort(signal.reason)
    else signal.addEventListener('abort', onAbort, { once: true })
    try {
      const result = await client.callTool({ name, arguments: args }, CallToolResultSchema, {
        timeout: this.config.callTimeoutMs ?? DEFAULT_MCP_CALL_TIMEOUT_MS,
        signal: own.signal,
      })
      return result as CallToolResult
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Stop for good (the host exits): kill a stdio server at once, then close politely. */
  close(): Promise<void> {
    this.closed = true
    this.deps.oauth?.close()
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const pid = this.processId
    if (pid !== null) {
      try {
        process.kill(pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
    }
    return this.stop()
  }

  private start(): Promise<void> {
    const gen = ++this.generation
    this.state = 'starting'
    this.deps.onChange()
    const attempt = this.connect(gen).finally(() => {
      if (this.starting === attempt) this.starting = null
    })
    this.starting = attempt
    return attempt
  }

  private async connect(gen: number): Promise<void> {
    const timeout = this.startupTimeoutMs
    try {
      const client = await this.open(gen, timeout)
      if (gen !== this.generation) return
      const listed = await client.listTools(undefined, { timeout })
      if (gen !== this.generation) return
      this.tools = listed.tools
      this.state = 'ready'
      this.log.note(`ready with ${listed.tools.length} tools`)
      this.deps.onChange()
    } catch (err) {
      if (gen !== this.generation || this.closed) return
      const message = oneLine(err instanceof Error ? err.message : String(err))
      const timedOut = /timed? ?out/i.test(message)
      this.fail(
        timedOut
          ? `It did not start within ${Math.round(timeout / 1000)} s (${message}).`
          : `It could not start: ${message}`,
      )
    }
  }

  /** Connect over the configured transport (an HTTP server that refuses Streamable HTTP: SSE). */
  private async open(gen: number, timeout: number): Promise<Client> {
    const { config } = this
    if (config.transport === 'stdio') {
      const confined = config.sandboxed
        ? (this.deps.sandbox?.(config.command, config.args, this.deps.cwd) ?? {
            error: 'This host cannot run MCP servers in the sandbox.',
          })
        : null
      if (confined && 'error' in confined) throw new Error(confined.error)
      const cwd = confined?.cwd ?? this.deps.cwd
      const transport = new StdioClientTransport({
        command: confined?.file ?? config.command,
        args: confined?.args ?? config.args,
        env: {
          ...this.deps.env(),
          ...config.env,
          ...this.deps.entry.secretEnv(),
          ...confined?.env,
        },
        stderr: 'pipe',
        ...(cwd ? { cwd } : {}),
      })
      transport.stderr?.on('data', (chunk: Buffer | string) => this.log.write(String(chunk)))
      return this.attach(gen, transport, timeout)
    }
    const headers = this.deps.entry.headers()
    const url = new URL(config.url)
    const { oauth } = this.deps
    await oauth?.prepare()
    const streamable = (): StreamableHTTPClientTransport =>
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers },
        ...(oauth ? { authProvider: oauth } : {}),
      })
    try {
      const first = streamable()
      try {
        return await this.attach(gen, first, timeout)
      } catch (err) {
        if (!(err instanceof UnauthorizedError) || !oauth) throw err
        // The server wants a sign-in: the consent page was opened (or shown); its redirect
        // brings the code, traded for tokens, and the connection is made again.
        this.lastError = `Waiting for you to sign in: ${oauth.pendingUrl?.toString() ?? config.url}`
        this.log.note('waiting for sign-in (OAuth)')
        this.deps.onChange()
        const code = await oauth.waitForCode(CONSENT_WAIT_MS)
        await first.finishAuth(code)
        this.lastError = undefined
        this.log.note('signed in')
        return await this.attach(gen, streamable(), timeout)
      }
    } catch (err) {
      // A server from before Streamable HTTP answers its POST with a 4xx: speak SSE to it.
      const status = err instanceof StreamableHTTPError ? (err.code ?? 0) : 0
      if (gen !== this.generation || status < 400 || status >= 500) throw err
      this.log.note('Streamable HTTP refused; trying the older SSE transport')
      return this.attach(gen, new SSEClientTransport(url, { requestInit: { headers } }), timeout)
    }
  }

  private async attach(gen: number, transport: Transport, timeout: number): Promise<Client> {
    const client = new Client({ name: 'paddock', version: APP_VERSION }, { capabilities: {} })
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      void this.refreshTools(gen)
    })
    let connected = false
    client.onclose = () => {
      // A close while connecting is the connect's failure, handled there.
      if (!connected || gen !== this.generation || this.closed) return
      if (this.state !== 'ready' && this.state !== 'starting') return
      const last = this.log.lastLine()
      this.fail(`The server exited${last ? `: ${last}` : '.'}`)
    }
    this.client = client
    this.transport = transport
    try {
      await client.connect(transport, { timeout })
    } catch (err) {
      await transport.close().catch(() => undefined)
      throw err
    }
    connected = true
    const pid = this.processId
    if (pid !== null) this.log.note(`started (pid ${pid})`)
    return client
  }

  /** The server said its tools changed: list them again (offered from the next run on). */
  private async refreshTools(gen: number): Promise<void> {
    const client = this.client
    if (!client || gen !== this.generation) return
    try {
      const listed = await client.listTools(undefined, { timeout: this.startupTimeoutMs })
      if (gen !== this.generation) return
      this.tools = listed.tools
      this.log.note(`tools changed: ${listed.tools.length} tools`)
      this.deps.onChange()
    } catch (err) {
      this.log.note(`could not list the changed tools: ${String(err)}`)
    }
  }

  private fail(reason: string): void {
    const now = this.deps.now()
    this.failures = [...this.failures.filter((t) => now - t < FAILURE_WINDOW_MS), now]
    this.generation++
    void this.teardown()
    this.tools = []
    this.log.note(reason)
    if (this.failures.length >= MAX_FAILURES) {
      this.state = 'failed'
      this.lastError = `Stopped after ${MAX_FAILURES} failures in 5 minutes. Last: ${reason}`
      this.deps.logger.log('warn', 'mcp server stays down', { server: this.config.name, reason })
      this.deps.onChange()
      return
    }
    this.lastError = reason
    this.state = 'restarting'
    const wait = this.deps.backoffMs(this.failures.length - 1)
    this.log.note(`restarting in ${Math.round(wait / 1000)} s`)
    this.timer = setTimeout(() => {
      this.timer = null
      if (!this.closed && this.state === 'restarting') void this.start()
    }, wait)
    this.timer.unref()
    this.deps.onChange()
  }

  private async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.generation++
    this.state = 'stopped'
    this.tools = []
    await this.teardown()
    this.deps.onChange()
  }

  private async teardown(): Promise<void> {
    const transport = this.transport
    this.client = null
    this.transport = null
    await transport?.close().catch(() => undefined)
  }
}

/** An error as one short line: a server's HTML error page is not a reason. */
function oneLine(text: string): string {
  const flat = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat
}
