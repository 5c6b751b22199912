import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import type { StrictOptions, Turn } from '../support/fake-llm'

/**
 * How a stream's strings are cut into SSE chunks. The gauntlet cuts each text, reasoning and
 * argument string into a few pieces; the stress run cuts them at random sizes. A scenario passes
 * every string whose chunking is not itself the quirk through it, so a stress run re-chunks every
 * stream without changing what the quirk is.
 */
export type Chunker = (text: string) => string[]

/** The strict server checks a scenario runs against (see `startFakeLlm({ strict })`). */
/** The strict-server rules a scenario's fake applies (the fake's own option). */
export type StrictServer = StrictOptions

/** What the model was told: the bodies of the chat requests the fake accepted, in order. */
export type ToldCheck = (requests: ChatCompletionCreateParams[]) => string | null

export type Group =
  | 'text-format'
  | 'reasoning'
  | 'history'
  | 'deltas'
  | 'names'
  | 'arguments'
  | 'truncation'
  | 'correction'

/**
 * One quirk, streamed at the wire exactly as a gateway sends it, with the effect a finished run
 * must leave. Turn 1 carries the quirk; the last turn is a plain final answer. A scenario whose
 * intended handling is a correction (the model is told what was wrong and calls again) scripts
 * that second call as its own turn.
 */
export interface Scenario {
  /** Stable, kebab-case: `GAUNTLET_ONLY=<id>` runs just this one. */
  id: string
  group: Group
  /** Where the quirk comes from: the model, the server, the issue or parser it was seen in. */
  why: string
  /** Files in the workspace before the run (relative path → content). */
  seed?: Record<string, string>
  prompt?: string
  /** The model's turns; every request beyond them is answered 400 and counted as a failure. */
  turns: (chunk: Chunker) => Turn[]
  /** Files after the run: exact content, a pattern, or `null` for "must not exist". */
  files: Record<string, string | RegExp | null>
  /** The fake acts as a strict server; the runner also checks the same rules on every request. */
  strict?: StrictServer
  /** Further checks of what the model was told (an error message, or null when fine). */
  told?: ToldCheck[]
}

export interface ScenarioResult {
  id: string
  ok: boolean
  /** Why it failed, one line each. */
  failures: string[]
  status: number | null
  ms: number
  /** Requests the fake accepted / turns scripted. */
  requests: number
  turns: number
  /** Repair notes the run recorded (`kind`s, in order), from `paddock run --json`. */
  repairs: string[]
  /** The tool results the model got (first line of each, errors marked). */
  results: string[]
}
