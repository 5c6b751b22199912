import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { Entry } from '../../src/shared/model'
import type { LoopDeps, LoopLog, PrepareTurn, TurnInfo } from '../../src/main/engine/agent-loop'
import { runAgentLoop } from '../../src/main/engine/agent-loop'
import { Inbox } from '../../src/main/engine/inbox'
import { allowAll } from '../support/run-tool'
import { createOpenAiCompatibleStream } from '../../src/main/providers/openai-compatible'
import { createToolContext } from '../../src/main/tools/context'
import { builtinTools, toolSpecs } from '../../src/main/tools/registry'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

let fake: FakeLlm | undefined
let ws: { path: string; cleanup: () => void } | undefined
afterEach(async () => {
  await fake?.close()
  ws?.cleanup()
})

/** An in-memory log holding one prompt, with the loop's typed port over it. */
function memoryLog(prompt: string): { log: LoopLog; entries: Entry[] } {
  const entries: Entry[] = []
  const log: LoopLog = {
    append(entry) {
      const appended: Entry = {
        id: `e${entries.length + 1}`,
        parentId: entries.at(-1)?.id ?? null,
        sessionId: 's1',
        type: entry.type,
        payload: entry.payload,
        createdAt: Date.now(),
      }
      entries.push(appended)
      return appended
    },
    branch: () => entries,
  }
  log.append({ type: 'user_message', payload: { text: prompt, kind: 'prompt' } })
  return { log, entries }
}

/** The loop against the fake LLM at the wire, with the real tools in a temp workspace. */
async function loopDeps(prompt: string, prepareTurn?: PrepareTurn): Promise<LoopDeps> {
  fake = await startFakeLlm()
  ws = tempDir('paddock-prepare-turn-')
  const root = realpathSync(ws.path)
  const tools = builtinTools()
  const controller = new AbortController()
  return {
    stream: createOpenAiCompatibleStream({ baseUrl: fake.baseUrl, apiKey: 'sk-test' }),
    model: 'fake-model',
    providerModel: 'fake-model',
    checkSpend: () => null,
    context: { system: 'You are a test.', tools: toolSpecs(tools), model: 'fake-model' },
    tools: new Map(tools.map((t) => [t.name, t])),
    toolContext: (signal) =>
      createToolContext({ workspaceRoot: root, spillDir: join(root, '.spill'), signal }),
    workspaceRoot: root,
    log: memoryLog(prompt).log,
    emit: () => {},
    inbox: new Inbox(),
    authorize: allowAll,
    stop: () => controller.abort(),
    maxTurns: 10,
    maxRetries: 2,
    signal: controller.signal,
    now: Date.now,
    sleep: async () => {},
    random: () => 1,
    ...(prepareTurn ? { prepareTurn } : {}),
  }
}

const sent = (i: number): ChatCompletionMessageParam[] =>
  fake!.chatRequests()[i]!.messages as ChatCompletionMessageParam[]

describe('prepareTurn', () => {
  it('runs before every model call, and what it returns is what the model receives', async () => {
    const seen: Array<{ info: TurnInfo; roles: string[] }> = []
    const deps = await loopDeps('List the files', (request, info) => {
      seen.push({ info, roles: request.messages.map((m) => m.role) })
      return {
        ...request,
        system: `${request.system}\nTurn ${info.turn}.`,
        messages: request.messages.map((m) =>
          m.role === 'user' ? { ...m, content: `[rewritten] ${m.content}` } : m,
        ),
      }
    })
    fake!.script({ toolCalls: [{ name: 'ls', arguments: {} }] }, { text: 'Nothing here.' })
    expect(await runAgentLoop(deps)).toEqual({ reason: 'done' })

    // Once per model call, in order, each time with the conversation as the log has it then.
    expect(seen.map((s) => s.info.turn)).toEqual([0, 1])
    expect(seen.map((s) => s.info.model)).toEqual(['fake-model', 'fake-model'])
    expect(seen.map((s) => s.roles)).toEqual([['user'], ['user', 'assistant', 'tool']])
    expect(fake!.chatRequests()).toHaveLength(2)
    for (const i of [0, 1]) {
      expect(sent(i)[0]).toEqual({ role: 'system', content: `You are a test.\nTurn ${i}.` })
      expect(sent(i)[1]).toEqual({ role: 'user', content: '[rewritten] List the files' })
    }
    expect(sent(1).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool'])
    // The log keeps what happened; only the request was rewritten.
    const prompt = deps.log.branch()[0]!
    expect(prompt.payload).toEqual({ text: 'List the files', kind: 'prompt' })
  })

  it('can drop messages (as compaction will), and the model receives only what is left', async () => {
    const deps = await loopDeps('First question', (request, info) =>
      info.turn === 0
        ? request
        : {
            ...request,
            messages: [
              { role: 'user', content: 'Summary: the files were listed.' },
              ...request.messages.slice(-2),
            ],
          },
    )
    fake!.script({ toolCalls: [{ name: 'ls', arguments: {} }] }, { text: 'ok' })
    expect(await runAgentLoop(deps)).toEqual({ reason: 'done' })
    expect(sent(1).map((m) => [m.role, typeof m.content === 'string' ? m.content : ''])).toEqual([
      ['system', 'You are a test.'],
      ['user', 'Summary: the files were listed.'],
      ['assistant', ''],
      ['tool', expect.any(String)],
    ])
  })

  it('runs once per model call: a retried call resends what it returned', async () => {
    let calls = 0
    const deps = await loopDeps('Hi', (request) => {
      calls += 1
      return { ...request, system: `prepared ${calls}` }
    })
    fake!.script({ error: { status: 500 } }, { text: 'hello' })
    expect(await runAgentLoop(deps)).toEqual({ reason: 'done' })
    expect(calls).toBe(1)
    expect(fake!.requests.map((r) => r.status)).toEqual([500, 200])
    const systems = fake!.requests.map(
      (r) => (r.body as { messages: Array<{ content: unknown }> }).messages[0]!.content,
    )
    expect(systems).toEqual(['prepared 1', 'prepared 1'])
  })

  it('an error thrown by it ends the run with that error (the run does not hang)', async () => {
    const deps = await loopDeps('Hi', () => {
      throw new Error('could not prepare')
    })
    expect(await runAgentLoop(deps)).toEqual({ reason: 'error', message: 'could not prepare' })
    expect(fake!.requests).toHaveLength(0)
  })
})
