import type { ContextRecord, EntryPayload, EntryType } from '../src/shared/entries'
import { parseEntry } from '../src/shared/entries'
import type { Entry } from '../src/shared/model'
import { lastCompaction } from '../src/main/context/compaction'
import { pruneCandidates } from '../src/main/context/pruning'
import { buildSystemPrompt } from '../src/main/context/system-prompt'
import { tokensInUse } from '../src/main/context/tokens-in-use'
import { createMemoryLogger } from '../src/main/core/logger'
import type { CompactorDeps } from '../src/main/engine/compactor'
import { Compactor, budgetFor, keepRecentFor, minPruneFor } from '../src/main/engine/compactor'
import type { StreamFn } from '../src/main/providers/types'
import type { Store } from '../src/main/sessions/store'
import { builtinTools, toolSpecs } from '../src/main/tools/registry'

/**
 * The long session `bench/context.ts` times, appended to a real SQLite store through the engine's
 * own policy. Turns of a prompt and 2–27 steps: assistant messages with reasoning and one to three
 * tool calls (read, bash, grep, edit, write, ls), results from a hundred bytes to 50 kB (6 % of
 * reads and commands large), a checkpoint before each write or edit and at each turn's end, the
 * odd steer, usage reported on every answer. Before each model call the real
 * `Compactor.beforeCall` runs, its summariser answering at once, so the log holds the prunes and
 * compactions (each updating the previous summary, with the cumulative file lists) a long session
 * on a 128k window really gets. It stops at the first model call after {@link ENTRIES} entries
 * that pruning alone cannot bring under the threshold: that call must compact. Deterministic.
 */

/** Entries in the session (it ends at the first model call past this that must compact). */
const ENTRIES = 10_000
/** A 128k open model (Kimi K2's window): a session of 10k entries compacts dozens of times. */
const LIMITS = { contextWindow: 131_072, maxOutput: 16_384 }
const MODEL = 'kimi-k2'

export interface Env {
  store: Store
  workspaceRoot: string
  spill: string
}

export type Draft = { [T in EntryType]: { type: T; payload: EntryPayload<T> } }[EntryType]

/** A compactor as the runner makes one for a run, its summariser answering at once. */
export function newCompactor(
  env: Env,
  context: ContextRecord,
  branch: () => Entry[],
  append: CompactorDeps['append'],
): Compactor {
  let pass = 0
  // The summariser answers at once: model time is not the engine's.
  const stream: StreamFn = async function* () {
    pass += 1
    yield {
      type: 'done',
      turn: {
        content: summaryText(pass),
        reasoning: '',
        toolCalls: [],
        finishReason: 'stop',
        usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      },
    }
  }
  return new Compactor({
    stream,
    model: MODEL,
    providerModel: 'kimi-k2',
    limits: LIMITS,
    settings: {},
    prefix: () => context,
    workspaceRoot: env.workspaceRoot,
    spillDir: () => env.spill,
    branch,
    append,
    logger: createMemoryLogger(),
    now: () => Date.now(),
  })
}

interface Built {
  drafts: Draft[]
  context: ContextRecord
  entries: number
  compactions: number
  prunes: number
}

/** Appends the long session to `sessionId`; what was appended comes back as drafts. */
export async function buildSession(env: Env, sessionId: string): Promise<Built> {
  const random = mulberry32(18)
  const corpus = makeCorpus(random, 256 * 1024)
  const text = (min: number, max: number): string => {
    const n = min + Math.floor(random() * (max - min))
    const at = Math.floor(random() * (corpus.length - n))
    return corpus.slice(at, at + n)
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const files = Array.from({ length: 400 }, (_, i) => `src/${pick(MODULES)}/file-${i}.ts`)
  const entries: Entry[] = []
  const drafts: Draft[] = []
  const append = (draft: Draft): Entry => {
    const entry = env.store.appendEntry(sessionId, draft)
    entries.push(entry)
    drafts.push(draft)
    return entry
  }
  const tools = toolSpecs(builtinTools())
  const system = buildSystemPrompt({
    workspaceRoot: env.workspaceRoot,
    os: 'linux',
    date: '2025-01-01',
    instructions: [],
  })
  const context: ContextRecord = { system, tools, model: MODEL }
  append({ type: 'context', payload: context })

  let calls = 0
  let checkpoints = 0
  const usage = (chars: number): EntryPayload<'assistant_message'>['usage'] => {
    const prompt = tokensInUse(entries).tokens
    const input = Math.ceil(prompt * 0.15)
    const output = Math.ceil(chars / 4)
    return {
      inputTokens: input,
      cacheReadTokens: prompt - input,
      cacheWriteTokens: 0,
      outputTokens: output,
    }
  }
  const checkpoint = (
    reason: 'before-tool' | 'turn-end',
    paths: string[],
    turnId: string,
    anchorId: string,
  ): void => {
    checkpoints += 1
    const changed = paths.map((path) => ({
      path,
      status: 'modified' as const,
      additions: 1 + Math.floor(random() * 40),
      deletions: Math.floor(random() * 20),
      binary: false,
    }))
    append({
      type: 'checkpoint',
      payload: {
        taken: true,
        id: checkpoints.toString(16).padStart(40, '0'),
        ref: `refs/paddock/${sessionId}/${checkpoints}`,
        baseline: false,
        files: changed,
        filesTotal: changed.length,
        additions: changed.reduce((s, f) => s + (f.additions ?? 0), 0),
        deletions: changed.reduce((s, f) => s + (f.deletions ?? 0), 0),
        unprotected: [],
        unprotectedTotal: 0,
        ownChanges: true,
        reason,
        turnId,
        anchorId,
        durationMs: 4,
      },
    })
  }
  /** One tool call and its output, as the model wrote it and the tool answered. */
  const call = (): { name: string; args: object; output: string } => {
    const path = pick(files)
    const large = random() < 0.06
    const roll = random()
    if (roll < 0.4)
      return { name: 'read', args: { path }, output: text(300, large ? 50_000 : 8_000) }
    if (roll < 0.6) {
      const command = pick(COMMANDS)
      return { name: 'bash', args: { command }, output: text(100, large ? 30_000 : 3_000) }
    }
    if (roll < 0.72)
      return { name: 'grep', args: { pattern: text(4, 20), path: 'src' }, output: text(200, 4_000) }
    if (roll < 0.87) {
      const args = { path, old_string: text(40, 400), new_string: text(40, 400) }
      return { name: 'edit', args, output: `Edited ${path}: 1 replacement.` }
    }
    if (roll < 0.93)
      return { name: 'write', args: { path, content: text(500, 6_000) }, output: `Wrote ${path}.` }
    return { name: 'ls', args: { path: 'src' }, output: text(100, 1_500) }
  }

  let compactor: Compactor | null = null
  /** Before a model call: the engine's policy; true to stop (the session is long enough). */
  const beforeCall = async (): Promise<boolean> => {
    if (entries.length >= ENTRIES && mustCompact(entries)) return true
    await compactor!.beforeCall(new AbortController().signal)
    return false
  }
  for (;;) {
    // A run per prompt, with its own compactor (as the runner makes one per run).
    compactor = newCompactor(
      env,
      context,
      () => entries,
      (type, payload) => append({ type, payload } as Draft),
    )
    const prompt = append({
      type: 'user_message',
      payload: { text: text(100, 1_500), kind: 'prompt' },
    })
    const modified = new Set<string>()
    const steps = 2 + Math.floor(random() * 26)
    for (let s = 0; s < steps; s++) {
      if (await beforeCall()) return summarise()
      const made = Array.from({ length: random() < 0.6 ? 1 : random() < 0.75 ? 2 : 3 }, call)
      const toolCalls = made.map((m) => ({
        id: `call_${++calls}`,
        name: m.name,
        arguments: JSON.stringify(m.args),
      }))
      const content = random() < 0.3 ? text(50, 400) : ''
      const reasoning = random() < 0.7 ? text(100, 1_500) : ''
      const chars =
        content.length + reasoning.length + toolCalls.reduce((s, c) => s + c.arguments.length, 0)
      const answer = append({
        type: 'assistant_message',
        payload: {
          content,
          reasoning,
          toolCalls,
          finishReason: 'tool_calls',
          usage: usage(chars),
          model: MODEL,
          costUsd: 0.002,
        },
      })
      made.forEach((m, i) => {
        const path = (m.args as { path?: string }).path
        if ((m.name === 'edit' || m.name === 'write') && path) {
          checkpoint('before-tool', [path], prompt.id, answer.id)
          modified.add(path)
        }
        append({
          type: 'tool_result',
          payload: {
            toolCallId: toolCalls[i]!.id,
            toolName: m.name,
            content: m.output,
            isError: random() < 0.05,
            durationMs: 40,
          },
        })
      })
      if (random() < 0.03)
        append({ type: 'user_message', payload: { text: text(40, 300), kind: 'steer' } })
    }
    if (await beforeCall()) return summarise()
    const content = text(200, 2_000)
    const answer = append({
      type: 'assistant_message',
      payload: {
        content,
        reasoning: '',
        toolCalls: [],
        finishReason: 'stop',
        usage: usage(content.length),
        model: MODEL,
        costUsd: 0.002,
      },
    })
    if (modified.size > 0) checkpoint('turn-end', [...modified], prompt.id, answer.id)
    append({ type: 'turn_end', payload: { reason: 'done' } })
  }

  function summarise(): Built {
    for (const entry of entries) {
      const parsed = parseEntry(entry)
      if (!parsed.ok)
        throw new Error(`context bench: entry ${entry.type} does not read: ${parsed.error}`)
    }
    const count = (type: EntryType): number => entries.filter((e) => e.type === type).length
    const compactions = count('compaction')
    const prunes = count('prune')
    if (compactions < 2 || prunes < 1) {
      throw new Error(
        `context bench: ${compactions} compactions and ${prunes} prunes, not a long session`,
      )
    }
    return { drafts, context, entries: entries.length, compactions, prunes }
  }
}

/** True when the next model call must compact: over the threshold even after a prune. */
function mustCompact(branch: Entry[]): boolean {
  const budget = budgetFor(LIMITS, {})
  const used = tokensInUse(branch).tokens
  if (used <= budget.thresholdTokens) return false
  const from = lastCompaction(branch)?.keptFrom ?? 0
  const { tokens } = pruneCandidates(branch, from, keepRecentFor(budget, {}))
  const freed = tokens >= minPruneFor(budget) ? tokens : 0
  return used - freed > budget.thresholdTokens
}

/** The summariser's answer: the structured summary, about 5 kB. */
function summaryText(pass: number): string {
  const lines = (what: string, n: number): string =>
    Array.from(
      { length: n },
      (_, i) => `- ${what} ${pass}.${i}: ${LOREM.slice(0, 60 + ((pass * 7 + i * 13) % 120))}`,
    ).join('\n')
  return [
    '## Goal',
    `Move the session store to the new schema and keep every reader working (pass ${pass}).`,
    '## Constraints and preferences',
    '- "keep the public API exactly as it is"',
    '- "no new dependencies"',
    '## Progress',
    '### Done',
    lines('done', 12),
    '### In progress',
    lines('doing', 4),
    '### Blocked',
    '- (none)',
    '## Key decisions',
    lines('decided', 6),
    '## Next steps',
    lines('next', 6),
    '## Critical context',
    lines('context', 10),
  ].join('\n')
}

const LOREM =
  'The store reads the branch leaf to root in one recursive query and parses each payload once; the cut keeps the newest steps verbatim. '

const MODULES = ['main', 'shared', 'renderer', 'engine', 'context', 'sessions', 'tools', 'cli']
const COMMANDS = [
  'npm test',
  'npm run typecheck',
  'npm run lint',
  'git status',
  'git diff --stat',
  'npx vitest run test/unit/history-replay.test.ts',
  'ls -la src/main',
  'rg -n "deriveMessages" src',
]

/** Code-like text to slice outputs from. */
function makeCorpus(random: () => number, chars: number): string {
  const words =
    'const return await entry branch tokens payload if ( ) { } => session store messages result path 0 1 null export function'.split(
      ' ',
    )
  const parts: string[] = []
  let length = 0
  while (length < chars) {
    const indent = '  '.repeat(Math.floor(random() * 4))
    const line = Array.from(
      { length: 3 + Math.floor(random() * 9) },
      () => words[Math.floor(random() * words.length)],
    ).join(' ')
    parts.push(indent + line)
    length += indent.length + line.length + 1
  }
  return parts.join('\n')
}

function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
