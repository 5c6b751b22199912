import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type {
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions'
import { createMemoryLogger } from '../src/main/core/logger'
import type { Engine } from '../src/main/host/engine'
import { createEngine } from '../src/main/host/engine'
import { createOpenAiCompatibleStream } from '../src/main/providers/openai-compatible'
import { findInstructionFiles } from '../src/main/context/project-instructions'
import { buildSystemPrompt } from '../src/main/context/system-prompt'
import type { ToolSpec } from '../src/main/providers/types'
import type { ReplyTurn } from '../test/support/fake-llm'
import { startFakeLlm } from '../test/support/fake-llm'
import { legacySystemPrompt } from '../test/support/legacy-system-prompt'
import type { BenchLine } from './run'

/** Model calls in the session; the engine is closed and reopened on its data dir half-way. */
const STEPS = 50

/**
 * `npm run bench -- prefix`: how much of each request a provider's prompt cache can serve.
 *
 * A 50-step session of reads, searches, listings and commands through the real engine, against
 * the loopback fake model (OpenAI wire), restarted half-way (a new engine on the same data dir).
 * Measured on the bodies the fake received:
 * - the stable prefix, system prompt and tool definitions, in bytes as sent — beside the same
 *   prefix with the system prompt of before, which listed every tool's description too, built
 *   for real from the same parts;
 * - how often it changed over the session (budget: never);
 * - its share of the 1st, 10th, 25th and 50th request;
 * - the requests that do not start with the whole request before them, byte for byte (tools,
 *   system, every earlier message): each one would cost the provider's cache (budget: none);
 * - the share of each request the request before it sent identically, the part a prefix cache
 *   can serve (the rest is what the step added: the answer, the tool output): its median and
 *   lowest over the session.
 */
export async function prefixBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-prefix-'))
  const fake = await startFakeLlm()
  try {
    const workspace = join(root, 'w')
    mkdirSync(join(workspace, 'src'), { recursive: true })
    for (let i = 0; i < 12; i++) {
      const body = Array.from({ length: 30 + i * 5 }, (_, j) => `export const v${j} = ${i * j}`)
      writeFileSync(join(workspace, 'src', `m${i}.ts`), `${body.join('\n')}\n`)
    }
    writeFileSync(join(workspace, 'AGENTS.md'), 'Run the tests after each change.\n')
    fake.script(...session())

    const dataDir = join(root, 'data')
    const open = (): Engine =>
      createEngine({
        dataDir,
        kind: 'cli',
        logger: createMemoryLogger(),
        model: {
          model: 'bench',
          stream: createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'x' }),
        },
      })
    let engine = open()
    const ws = engine.store.openWorkspace(workspace, 'w')
    const sessionId = engine.store.createSession(ws.id).id
    await prompt(engine, sessionId, 'Survey the code base.', STEPS / 2)
    await engine.drain()
    engine.close()
    engine = open()
    await prompt(engine, sessionId, 'Go on.', STEPS / 2)
    await engine.drain()
    engine.close()

    const bodies = fake.chatRequests()
    if (bodies.length !== STEPS) throw new Error(`expected ${STEPS} requests, got ${bodies.length}`)
    const prefixes = bodies.map((b) => JSON.stringify([b.messages[0], b.tools]))
    const prefixBytes = bytes(prefixes[0]!)
    const share = (i: number): number => (100 * prefixBytes) / requestBytes(bodies[i]!)
    const steps = bodies.slice(1).map((b, i) => reuse(bodies[i]!, b))
    const shares = steps.map((r) => r.share).sort((x, y) => x - y)
    return [
      {
        name: 'prefix-bytes (system + tools)',
        ours: prefixBytes,
        unit: 'bytes',
        peer: {
          name: 'descriptions-also-in-system',
          value: bytes(await legacyPrefix(bodies[0]!, workspace)),
        },
      },
      {
        name: `prefix-changes over ${STEPS} steps and a restart`,
        ours: new Set(prefixes).size - 1,
        unit: 'changes',
        budget: 0,
      },
      ...[1, 10, 25, 50].map((step) => ({
        name: `prefix-share of request ${step}`,
        ours: share(step - 1),
        unit: '%',
      })),
      {
        name: 'prefix-breaks (a request not extending the one before)',
        ours: steps.filter((r) => !r.extends).length,
        unit: 'requests',
        budget: 0,
      },
      {
        name: 'prefix-reused from the request before, median',
        ours: shares[Math.floor(shares.length / 2)]!,
        unit: '%',
      },
      { name: 'prefix-reused from the request before, lowest', ours: shares[0]!, unit: '%' },
    ]
  } finally {
    await fake.close()
    rmSync(root, { recursive: true, force: true })
  }
}

/** The scripted model: 24 tool steps and an answer, twice; a mix of the built-in tools. */
function session(): ReplyTurn[] {
  const call = (i: number): ReplyTurn => {
    switch (i % 5) {
      case 0:
        return { toolCalls: [{ name: 'read', arguments: { path: `src/m${i % 12}.ts` } }] }
      case 1:
        return { toolCalls: [{ name: 'grep', arguments: { pattern: `v${i}\\b` } }] }
      case 2:
        return { toolCalls: [{ name: 'ls', arguments: { path: 'src' } }] }
      case 3:
        return {
          text: `Step ${i}: the module sizes grow by five lines each.`,
          toolCalls: [{ name: 'glob', arguments: { pattern: `src/m${i % 10}*.ts` } }],
        }
      default:
        return { toolCalls: [{ name: 'bash', arguments: { command: `wc -l src/m${i % 12}.ts` } }] }
    }
  }
  const half = (from: number): ReplyTurn[] => [
    ...Array.from({ length: STEPS / 2 - 1 }, (_, i) => call(from + i)),
    { text: 'That is the survey so far.' },
  ]
  return [...half(0), ...half(STEPS / 2)]
}

async function prompt(
  engine: Engine,
  sessionId: string,
  text: string,
  turns: number,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const sub = engine.subscribe({ [sessionId]: 1 }, (e) => {
      if (e.type === 'entry.appended' && e.entry.type === 'turn_end') {
        sub.dispose()
        resolve()
      }
    })
    void engine
      .call(
        'sessions.prompt',
        { sessionId, text, mode: 'full-auto', maxTurns: turns + 5 },
        { transport: 'bench' },
      )
      .then((o) => (o.ok ? undefined : reject(new Error(o.error.message))))
  })
}

function bytes(text: string): number {
  return Buffer.byteLength(text)
}

/** What a request sends that a prefix cache sees: tools, then every message in order. */
function parts(body: ChatCompletionCreateParams): string[] {
  return [
    JSON.stringify(body.tools ?? []),
    ...body.messages.map((m: ChatCompletionMessageParam) => JSON.stringify(m)),
  ]
}

function requestBytes(body: ChatCompletionCreateParams): number {
  return parts(body).reduce((n, p) => n + bytes(p), 0)
}

/**
 * How `next` starts like `prev`, part by part: the share of it, in %, that `prev` sent
 * identically from the start, and whether all of `prev` is there.
 */
function reuse(
  prev: ChatCompletionCreateParams,
  next: ChatCompletionCreateParams,
): { share: number; extends: boolean } {
  const a = parts(prev)
  const b = parts(next)
  let same = 0
  let i = 0
  for (; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) same += bytes(b[i]!)
  return { share: (100 * same) / requestBytes(next), extends: i === a.length }
}

/**
 * The prefix the first request would have sent with the system prompt of before tool descriptions
 * were sent once: that prompt built for real (the old builder, test/support/legacy-system-prompt)
 * from the same parts — the session's folder, OS, date and instruction files, and the tools the
 * request offered — with the same tool definitions after it. The parts are checked first: built
 * the current way, they give the system prompt the request sent, byte for byte.
 */
async function legacyPrefix(body: ChatCompletionCreateParams, workspace: string): Promise<string> {
  const system = body.messages[0]!
  const sent = typeof system.content === 'string' ? system.content : ''
  const parts = {
    workspaceRoot: workspace,
    os: `${process.platform} (${process.arch})`,
    date: /^Date: (\S+)$/m.exec(sent)?.[1] ?? '',
    instructions: await findInstructionFiles(workspace),
  }
  if (buildSystemPrompt(parts) !== sent)
    throw new Error('the sent system prompt is not built from these parts')
  const tools: ToolSpec[] = (body.tools ?? []).flatMap((t) =>
    t.type === 'function'
      ? [
          {
            name: t.function.name,
            description: t.function.description ?? '',
            parameters: t.function.parameters ?? {},
          },
        ]
      : [],
  )
  return JSON.stringify([
    { ...system, content: legacySystemPrompt({ ...parts, tools }) },
    body.tools,
  ])
}
