/**
 * A world for worktree-session tests through the engine's contract: a real git repository (its
 * folder name given, spaces and non-ASCII welcome) opened as a workspace of an engine whose model
 * is the fake LLM at the wire. Sessions run at the same time, so the fake answers by session: each
 * prompt starts with a marker `[<key>]`, and the plan registered for that key says what the agent
 * does at each step (step n = the n-th model call since that prompt).
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import type { TurnEnd } from '../../src/shared/entries'
import { TurnEndPayload, ToolResultPayload } from '../../src/shared/entries'
import type { ToolResultRecord } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { EngineOptions } from '../../src/main/host/engine'
import type { Session } from '../../src/shared/model'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'
import type { FakeLlm, ReplyTurn, Turn } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'
import { git as g, initRepo } from '../support/git-repo'

export { git as g } from '../support/git-repo'

/** What the agent does at one step: a turn, or a function of the request (to read results). */
export type Step = Turn | ((body: ChatCompletionCreateParams) => Turn)

export const tool = (name: string, args: object): ReplyTurn => ({
  toolCalls: [{ name, arguments: args }],
})

export interface World {
  fx: EngineFixture
  fake: FakeLlm
  root: string
  repo: string
  workspaceId: string
  events: PaddockEvent[]
  /** The plan of the agent for prompts marked `[key]`; after the last step it says "done". */
  plan(key: string, steps: Step[]): void
  /** A session in a new worktree. */
  worktreeSession(title: string): Promise<Session>
  /** Send `[key] text` to a session; resolves with how the run ended. */
  run(sessionId: string, key: string, text?: string): Promise<TurnEnd>
  results(sessionId: string): ToolResultRecord[]
  waitFor(pred: (e: PaddockEvent) => boolean): Promise<PaddockEvent>
  /** Stop the engine; `keep`: leave the folders for another engine (a restart). */
  close(keep?: boolean): Promise<void>
}

/**
 * The prompt being answered: the last user message carrying a `[key]` marker, and how many
 * assistant messages came after it (the step the agent is at).
 */
function stepOf(body: ChatCompletionCreateParams): { key: string; n: number } | null {
  const ms = body.messages
  for (let i = ms.length - 1; i >= 0; i--) {
    const m = ms[i]!
    if (m.role !== 'user') continue
    const text = typeof m.content === 'string' ? m.content : JSON.stringify(m.content)
    const hit = /^\[([\w-]+)\]/.exec(text)
    if (hit) return { key: hit[1]!, n: ms.slice(i).filter((x) => x.role === 'assistant').length }
  }
  return null
}

/** A repository with one commit: `app.txt`, `src/auth.ts`, a `.gitignore` for `.env`. */
export function makeRepo(repo: string, files: Record<string, string | Buffer> = {}): void {
  initRepo(repo, {
    'app.txt': 'v1\n',
    'src/auth.ts': 'export function login() {\n  return check("a")\n}\n',
    '.gitignore': '.env\n',
    ...files,
  })
}

/**
 * The user's checkout as the user sees it: sha256 of every file outside `.git`, plus HEAD, the
 * staged entries and `git status`. (`.git` itself gains a worktree's admin entry and branch.)
 */
export function checkoutState(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (d === dir && name === '.git') continue
      if (statSync(p).isDirectory()) walk(p)
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex')
    }
  }
  walk(dir)
  out['<HEAD>'] = g(dir, 'rev-parse', 'HEAD').trim()
  out['<index>'] = g(dir, 'ls-files', '-s')
  out['<status>'] = g(dir, 'status', '--porcelain')
  return out
}

export async function makeWorld(
  opts: {
    repoName?: string
    files?: Record<string, string | Buffer>
    extra?: Partial<EngineOptions>
    reuse?: { root: string }
    /** Set up the repository before the engine opens it (default: `makeRepo`). */
    prepare?: (repo: string) => void
  } = {},
): Promise<World> {
  const plans = new Map<string, Step[]>()
  const fake = await startFakeLlm({
    answer: (body) => {
      const chat = body as ChatCompletionCreateParams
      const at = stepOf(chat)
      const steps = at === null ? undefined : plans.get(at.key)
      if (!at || !steps) return { text: 'No plan.' }
      const step = steps[at.n]
      if (step === undefined) return { text: 'done' }
      return typeof step === 'function' ? step(chat) : step
    },
  })
  const t = opts.reuse
    ? {
        path: opts.reuse.root,
        cleanup: () => rmSync(opts.reuse!.root, { recursive: true, force: true }),
      }
    : tempDir()
  const repo = join(t.path, opts.repoName ?? 'project')
  if (!opts.reuse) (opts.prepare ?? ((r: string) => makeRepo(r, opts.files)))(repo)
  const fx = engineFixture(
    'web',
    {
      model: {
        model: 'fake-model',
        stream: createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'sk-test' }),
      },
      sleep: async () => {},
      random: () => 1,
      ...opts.extra,
    },
    { root: t.path },
  )
  const ws = await fx.call('workspaces.open', { path: repo })
  const events: PaddockEvent[] = []
  const waiters: Array<{ pred: (e: PaddockEvent) => boolean; resolve: (e: PaddockEvent) => void }> =
    []
  const ends = new Map<string, Array<(t: TurnEnd) => void>>()
  const sub = fx.engine.subscribe({}, (e) => {
    events.push(e)
    for (const w of [...waiters])
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(e)
      }
    if (e.type === 'entry.appended' && e.entry.type === 'turn_end')
      ends.get(e.sessionId)?.shift()?.(TurnEndPayload.parse(e.entry.payload))
  })
  let closed = false
  const world: World = {
    fx,
    fake,
    root: t.path,
    repo,
    workspaceId: ws.id,
    events,
    plan: (key, steps) => void plans.set(key, steps),
    worktreeSession: (title) =>
      fx.call('sessions.create', { workspaceId: ws.id, title, place: 'worktree' }),
    async run(sessionId, key, text = 'Go') {
      const end = new Promise<TurnEnd>((resolve) => {
        const list = ends.get(sessionId) ?? []
        list.push(resolve)
        ends.set(sessionId, list)
      })
      await fx.call('sessions.prompt', { sessionId, text: `[${key}] ${text}`, mode: 'full-auto' })
      return end
    },
    results: (sessionId) =>
      fx.engine.store
        .branch(sessionId)
        .filter((e) => e.type === 'tool_result')
        .map((e) => ToolResultPayload.parse(e.payload)),
    waitFor(pred) {
      const seen = events.find(pred)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve) => waiters.push({ pred, resolve }))
    },
    async close(keep = false) {
      if (closed) return
      closed = true
      sub.dispose()
      await fx.engine.drain()
      fx.engine.close()
      await fake.close()
      if (!keep) t.cleanup()
    },
  }
  return world
}

/** Poll `check` until it returns a value (not undefined/false), or fail after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
