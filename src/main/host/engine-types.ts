import type { SandboxMode } from '../sandbox/policy'
import type { Database } from 'better-sqlite3'
import type { Cursors, PaddockEvent } from '../../shared/events'
import type { HostInfo } from '../../shared/model'
import type { CallOutcome } from '../../shared/wire'
import type { CheckpointFs, WatchBackend } from '../checkpoints'
import type { Logger } from '../core/logger'
import type { LoginPath } from '../core/login-path'
import type { SpendCaps } from '../engine/spend'
import type { ModelSource } from '../providers/model-source'
import type { SecretStore } from '../secrets/secret-store'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import type { AnyTool } from '../tools/types'
import type { CallMeta } from './dispatcher'

export interface EngineOptions {
  dataDir: string
  kind: HostInfo['kind']
  logger: Logger
  /** Where `native/` lives (the Electron-ABI SQLite addon); only used inside Electron. */
  appRoot?: string
  home?: string
  now?: () => number
  /** Tail the database for other processes' commits (hosts with live clients want this). */
  watch?: boolean
  /**
   * The host's own model; without one (and no saved provider), a prompt answers `no_model`. A function is given the
   * stored settings (network, timeouts) so hosts need not open the database twice to build it.
   */
  model?: ModelSource | null | ((settings: Settings) => ModelSource | null)
  /**
   * More models at the host model's address, with its key (`paddock run --fallback-model`): a run
   * may fall back on them, as `env/<model>`.
   */
  hostFallbacks?: (settings: Settings) => ModelSource[]
  /** The agent's tools (default: the built-in set). */
  tools?: AnyTool[]
  /** Environment for the agent's processes, before secrets are stripped (default: process.env). */
  env?: NodeJS.ProcessEnv
  /** Wait used between retries of a model call; tests inject an instant one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  maxRetries?: number
  /** A compaction whose summariser sends nothing for this long is given up, in ms (default 2 min). */
  compactionStallMs?: number
  /** Wait before an MCP server's restart `n` (0-based), in ms (default: 1 s doubling to 60 s). */
  mcpBackoffMs?: (n: number) => number
  /** Show an MCP server's sign-in page (the desktop app opens the browser; default: logged). */
  openAuthorization?: (server: string, url: URL) => void
  /** Jitter source for retry backoff (tests pin it). */
  random?: () => number
  /** Spend caps in USD, per session and per (UTC) day; each defaults to the stored setting. */
  spendCaps?: SpendCaps
  /** Where provider keys are kept (default: `<dataDir>/secrets.json`, mode 0600). */
  secrets?: SecretStore
  /** The PATH the desktop app took from the user's login shell at start (the doctor reports it). */
  loginPath?: LoginPath
  /** The sandbox mode of every session's agent shell, over the `sandbox.mode` setting. */
  sandboxMode?: SandboxMode
  /** Fault injection for tests: the checkpoint stores' filesystem and watcher. */
  checkpoints?: { fs?: CheckpointFs; watch?: WatchBackend | null }
}

/**
 * The engine behind every host: state, persistence and the contract's handlers. It never imports
 * electron; hosts reach it only through `call` and `subscribe`.
 */
export interface Engine {
  readonly info: HostInfo
  readonly db: Database
  readonly store: Store
  call(method: unknown, params: unknown, meta: CallMeta): Promise<CallOutcome>
  /**
   * `client` names the connection (the same id its calls carry in `CallMeta.client`), so output
   * of terminals it attaches reaches this listener.
   */
  subscribe(
    since: Cursors,
    listener: (event: PaddockEvent) => void,
    client?: { id: string },
  ): { replay: PaddockEvent[]; dispose: () => void }
  /** Stop every run this engine drives and wait for each to record how it ended. */
  drain(): Promise<void>
  close(): void
}
