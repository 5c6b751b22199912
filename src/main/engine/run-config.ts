import type { Logger } from '../core/logger'
import type { Mode } from '../policy/modes'
import type { Rule } from '../policy/rules'
import type { Pricing } from '../providers/catalog'
import type { StreamFn, ToolSpec } from '../providers/types'
import type { Store } from '../sessions/store'
import type { AgentShell } from '../shells/agent-shell'
import type { AnyTool, FsOps } from '../tools/types'
import type { McpOffer } from '../mcp/broker'
import type { LiveDraft, PrepareTurn } from './agent-loop'
import type { SessionCheckpoints } from './checkpoint-hooks'
import type { ContextSettings } from './compactor'
import type { FallbackPlan } from './fallback'
import type { LoopSettings } from './loop-detect'

/**
 * What a session's run is configured with (`RunConfig`, planned by `Runs.plan`) and what its runner
 * is built from (`RunnerDeps`): the types of `session-runner.ts`, apart so it stays readable.
 */

export interface RunConfig {
  stream: StreamFn
  /** The canonical model id (logged). */
  model: string
  /** The provider's name for the model (sent). */
  providerModel: string
  /** The configured provider the model comes from (named on a run its provider refused). */
  provider?: string
  pricing?: Pricing
  /** The model takes image input: tool results' images go to it as image parts. */
  images?: boolean
  /**
   * The model's context window in tokens, when the catalog (or the user's models.json) knows it;
   * absent: {@link DEFAULT_CONTEXT_WINDOW}. Sets the tools' output budget (`toolOutputBudget`).
   */
  contextWindow?: number
  /** The model's max output tokens (absent: the default for an unknown model). */
  maxOutput?: number
  /** The user's `context.*` settings. */
  context?: ContextSettings
  /** The user's `loops.*` settings (absent: every loop detector on). */
  loops?: LoopSettings
  /** Why the next model call must wait for the user's OK on spend, or null. */
  checkSpend: () => string | null
  mode: Mode
  maxTurns: number
  /** The run's fallback chain (absent: a model that fails ends the run). */
  fallback?: FallbackPlan
}

export interface RunnerDeps {
  store: Store
  sessionId: string
  workspaceRoot: string
  /** A worktree session's branch and base: the system prompt says where the agent works. */
  git?: { branch: string; base: string }
  /** The home folder and Paddock's data folder, which the policy protects. */
  home: string
  dataDir: string
  tools: AnyTool[]
  toolSpecs: ToolSpec[]
  /**
   * The MCP tools a run offers on top of `tools`, read when it starts (so they change at a run's
   * boundary, never within one); absent: none.
   */
  mcpOffer?: (contextWindow: number) => Promise<McpOffer>
  fs: FsOps
  /** The agent's environment, read at each tool call (keys and secrets already removed). */
  env: () => Record<string, string>
  ripgrepPath: string | null
  spillRoot: string
  logger: Logger
  emit: (sessionId: string, event: LiveDraft) => void
  now: () => number
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
  random: () => number
  maxRetries: number
  os: string
  /** The workspace's own rules (empty until the user trusts the workspace). */
  workspaceRules: () => Rule[]
  /** The session's agent shell (the `bash` tool runs there); absent: commands run as processes. */
  shell?: AgentShell
  /** Checkpoints of the workspace (absent: none are taken). */
  checkpoints?: SessionCheckpoints
  /** Rewrites what each model call of a run sends (absent: sent as derived from the log). */
  prepareTurn?: PrepareTurn
  /** A compaction whose summariser sends nothing for this long is given up (ms). */
  compactionStallMs?: number
}
