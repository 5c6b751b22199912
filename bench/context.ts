import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ContextRecord } from '../src/shared/entries'
import { parseEntry } from '../src/shared/entries'
import type { Entry } from '../src/shared/model'
import { lastCompaction } from '../src/main/context/compaction'
import { conversationBranch } from '../src/main/context/conversation-branch'
import { deriveMessages } from '../src/main/context/history'
import { createMemoryLogger } from '../src/main/core/logger'
import { createEngine } from '../src/main/host/engine'
import type { Draft, Env } from './context-session'
import { buildSession, newCompactor } from './context-session'
import type { BenchLine } from './run'

/** Timed runs of each path after one untimed warm-up (the median counts). */
const RUNS = 7
/** Budget for the engine's own time to prepare a compacted request, in ms. */
const BUDGET_MS = 100

/**
 * Budget "prepare a compacted request for a 10k-entry session ≤ 100 ms", model time excluded.
 *
 * The session (`context-session.ts`) is a long one on a 128k window, built in a real SQLite store
 * through the engine's own policy: over 10,000 entries, prunes and compactions included, ending
 * at a model call that must compact.
 *
 * Timed, warm, from that leaf: what the engine does before that call — have the branch, then
 * `Compactor.beforeCall` (tokens in use, prune candidates, spill files and the `prune` entry when
 * it prunes, the cut, the summariser's chunks, the file lists, the estimates, the `compaction`
 * entry) and `deriveMessages` for the request — all but the model's answer (the summariser
 * answers at once). Twice: at a run's first model call, which reads the branch from the store
 * (every payload is then parsed once), and later in a run, whose branch is already in memory.
 * Each is rolled back so the next starts from the same leaf. Beside the first: reading the same
 * session without its prunes and compactions and deriving the whole uncompacted history, what a
 * request cost before compaction existed.
 */
export async function contextBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-context-'))
  try {
    const workspaceRoot = join(root, 'p')
    const spill = join(root, 'spill')
    mkdirSync(workspaceRoot)
    mkdirSync(spill)
    const engine = createEngine({
      dataDir: join(root, 'data'),
      kind: 'cli',
      logger: createMemoryLogger(),
    })
    try {
      const ws = engine.store.openWorkspace(workspaceRoot, 'p')
      const compactedId = engine.store.createSession(ws.id).id
      const plainId = engine.store.createSession(ws.id).id
      const env: Env = { store: engine.store, workspaceRoot, spill }
      engine.db.exec('BEGIN')
      const built = await buildSession(env, compactedId)
      for (const { type, payload } of built.drafts) {
        if (type === 'compaction' || type === 'prune') continue
        engine.store.appendEntry(plainId, { type, payload } as Draft)
      }
      engine.db.exec('COMMIT')
      const { chars } = engine.db
        .prepare('SELECT sum(length(payload)) AS chars FROM entries WHERE session_id = ?')
        .get(compactedId) as { chars: number }

      // What the runner reads at a run's first call (`conversationBranch`, as `SessionRunner` does):
      // the branch from the end, back to what the last compaction keeps.
      const readConversation = (): Entry[] =>
        conversationBranch((limit) => engine.store.branch(compactedId, undefined, limit))
      // A run that has been going holds that part in memory, every payload already parsed.
      const inMemory = readConversation()
      for (const entry of inMemory) parseEntry(entry)
      const compacted = async (read: () => Entry[]): Promise<number> => {
        engine.db.exec('BEGIN')
        try {
          return await prepareCompacted(env, compactedId, built.context, read)
        } finally {
          engine.db.exec('ROLLBACK')
        }
      }
      const firstCall = (): Promise<number> => compacted(readConversation)
      const inRun = (): Promise<number> => compacted(() => inMemory.slice())
      const plain = (): number => {
        const t0 = performance.now()
        const messages = deriveMessages(engine.store.branch(plainId))
        const ms = performance.now() - t0
        if (messages.length === 0) throw new Error('context bench: empty history')
        return ms
      }
      // Warm up every path (the JIT, SQLite's page cache) before timing.
      await firstCall()
      await inRun()
      plain()
      const first: number[] = []
      const warm: number[] = []
      const peer: number[] = []
      for (let i = 0; i < RUNS; i++) {
        first.push(await firstCall())
        warm.push(await inRun())
        peer.push(plain())
      }
      const n = `${built.entries.toLocaleString('en-US')} entries, ${(chars / 1e6).toFixed(1)} MB of payloads, ${built.compactions} compactions, ${built.prunes} prunes`
      return [
        {
          name: `context: prepare a compacted request at a run's first call, branch read from SQLite, model time excluded (${n})`,
          ours: median(first),
          unit: 'ms',
          budget: BUDGET_MS,
        },
        {
          name: 'context: prepare a compacted request within a run, branch already in memory',
          ours: median(warm),
          unit: 'ms',
          budget: BUDGET_MS,
        },
        {
          name: "context: read the branch, prune, compact, derive the request (a run's first call)",
          ours: median(first),
          unit: 'ms',
          peer: { name: 'read the branch, derive the uncompacted history', value: median(peer) },
        },
      ]
    } finally {
      engine.close()
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/**
 * One timed preparation from the session's leaf (in ms): `read` is how the run's branch is first
 * had — from the store at a run's first model call, or from memory later in a run.
 */
async function prepareCompacted(
  env: Env,
  sessionId: string,
  context: ContextRecord,
  read: () => Entry[],
): Promise<number> {
  const before = env.store.getSession(sessionId).leafId
  const t0 = performance.now()
  // The runner's live branch: read once, then kept whole by pushing what is appended.
  let live: Entry[] | null = null
  const branch = (): Entry[] => (live ??= read())
  const compactor = newCompactor(env, context, branch, (type, payload) => {
    const entry = env.store.appendEntry(sessionId, { type, payload })
    branch().push(entry)
    return entry
  })
  await compactor.beforeCall(new AbortController().signal)
  const messages = deriveMessages(branch())
  const ms = performance.now() - t0
  const last = lastCompaction(branch())
  const leaf = branch().findIndex((e) => e.id === before)
  if (!last || last.index <= leaf || messages.length === 0) {
    throw new Error('context bench: the timed call did not compact')
  }
  return ms
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
