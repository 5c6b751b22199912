import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolResultPayload, TurnEndPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'

const STORED = 'sk-stored-PLANTED-7f3a9c1e5b2d8046'
const FROM_ENV = 'sk-env-0123456789-VARIABLE-WINS'

let a: AgentFixture | undefined
const fakes: FakeLlm[] = []
afterEach(async () => {
  await a?.close()
  a = undefined
  for (const f of fakes.splice(0)) await f.close()
})

async function fake(apiKey: string, models?: string[]): Promise<FakeLlm> {
  const f = await startFakeLlm({ apiKey, ...(models ? { models } : {}) })
  fakes.push(f)
  return f
}

/** An engine with a workspace and a session; the host has no model of its own. */
async function setup(env: Record<string, string> = {}): Promise<AgentFixture> {
  a = await agentFixture({
    extra: { model: null, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env } },
  })
  return a
}

/** Prompt with a model ref and wait for the run to end. */
async function runWith(fx: AgentFixture, model: string, text = 'Hello') {
  const end = fx.nextEnd()
  await fx.fx.call('sessions.prompt', { sessionId: fx.sessionId, text, mode: 'full-auto', model })
  return end
}

function toolResults(fx: AgentFixture) {
  return fx.fx.engine.store
    .branch(fx.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  )
}

describe('a run with a configured provider', () => {
  it('sends the stored key as Bearer to an OpenAI-compatible provider', async () => {
    const fx = await setup()
    const llm = await fake(STORED)
    await fx.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: STORED,
    })
    llm.script({ text: 'hi there' })
    expect(await runWith(fx, 'work/my-model')).toMatchObject({ reason: 'done' })
    const [request] = llm.requests
    expect(request!.headers.authorization).toBe(`Bearer ${STORED}`)
    expect(llm.chatRequests()[0]!.model).toBe('my-model')
    // The session keeps the model it picked.
    expect((await fx.fx.call('sessions.status', { sessionId: fx.sessionId })).model).toBe(
      'work/my-model',
    )
  })

  it('sends the stored key to an Anthropic provider', async () => {
    const fx = await setup()
    const llm = await fake(STORED)
    await fx.fx.call('providers.save', {
      name: 'claude',
      kind: 'anthropic',
      baseUrl: llm.anthropicBaseUrl,
      apiKey: STORED,
    })
    llm.script({ text: 'hello from claude' })
    expect(await runWith(fx, 'claude/claude-sonnet-4-5')).toMatchObject({ reason: 'done' })
    const request = llm.requests.find((r) => r.path === '/v1/messages')!
    expect(request.status).toBe(200)
    // This Anthropic SDK sends an explicit apiKey as a Bearer token; x-api-key is the older way.
    const presented =
      request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer /, '')
    expect(presented).toBe(STORED)
    expect(llm.messagesRequests()[0]!.model).toMatch(/^claude-sonnet-4-5/)
  })

  it('uses the variable apiKeyEnv names over the stored key', async () => {
    const fx = await setup({ WORK_LLM_CRED: FROM_ENV })
    const llm = await fake(FROM_ENV)
    await fx.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: STORED,
      apiKeyEnv: 'WORK_LLM_CRED',
    })
    llm.script({ text: 'ok' })
    expect(await runWith(fx, 'work/m')).toMatchObject({ reason: 'done' })
    expect(llm.requests[0]!.headers.authorization).toBe(`Bearer ${FROM_ENV}`)
  })

  it('keeps provider keys out of the agent’s environment', async () => {
    // The variable apiKeyEnv names does not look like a secret, and another one holds a copy of
    // the stored key: both must go; an ordinary variable stays.
    const fx = await setup({
      WORK_LLM_CRED: FROM_ENV,
      COPY_OF_IT: STORED,
      VISIBLE_MARKER: 'marker-4711',
    })
    const llm = await fake(FROM_ENV)
    await fx.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: STORED,
      apiKeyEnv: 'WORK_LLM_CRED',
    })
    llm.script({ toolCalls: [{ name: 'bash', arguments: { command: 'env' } }] }, { text: 'done' })
    expect(await runWith(fx, 'work/m')).toMatchObject({ reason: 'done' })
    const [result] = toolResults(fx)
    expect(result!.isError).toBe(false)
    expect(result!.content).toContain('VISIBLE_MARKER=marker-4711')
    expect(result!.content).not.toContain('WORK_LLM_CRED')
    expect(result!.content).not.toContain('COPY_OF_IT')
    expect(result!.content).not.toContain(FROM_ENV)
    expect(result!.content).not.toContain(STORED)
  })
})

describe('a planted key', () => {
  it('rests only in secrets.json (0600): not in the database, the WAL, logs or events', async () => {
    const fx = await setup()
    const events: PaddockEvent[] = []
    const sub = fx.fx.engine.subscribe({}, (e) => events.push(e))
    const llm = await fake(STORED, ['m1'])
    const other = await fake('sk-some-other-key-entirely')
    // Everything a key goes through: save, list, models, test, a run, and failures of each.
    await fx.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: STORED,
      models: ['m1'],
    })
    await fx.fx.call('providers.save', {
      name: 'refused',
      kind: 'openai',
      baseUrl: other.baseUrl,
      apiKey: STORED,
    })
    await fx.fx.call('providers.list', {})
    await fx.fx.call('models.list', {})
    await fx.fx.call('models.setDefault', { ref: 'work/m1' })
    expect((await fx.fx.call('providers.test', { name: 'work' })).verdict).toBe('ok')
    expect((await fx.fx.call('providers.test', { name: 'refused' })).verdict).toBe('bad_key')
    await expect(
      fx.fx.call('providers.save', { name: 'x', kind: 'openai', apiKey: STORED }),
    ).rejects.toThrow(/base URL/)
    await expect(
      fx.fx.call('providers.save', { name: 'x', kind: 'nope', apiKey: STORED }),
    ).rejects.toThrow(/Invalid parameters/)
    llm.script({ text: 'fine' })
    expect(await runWith(fx, 'work/m1')).toMatchObject({ reason: 'done' })
    const refused = await runWith(fx, 'refused/m1', 'again')
    expect(refused.reason).toBe('error')
    expect(TurnEndPayload.parse(refused).message).toMatch(/API key|401/)
    // The end names the provider that refused the key, so a client can lead to its settings.
    expect(TurnEndPayload.parse(refused)).toMatchObject({ cause: 'auth', provider: 'refused' })
    expect(await runWith(fx, 'work/m1', 'fine again')).not.toHaveProperty('cause')
    sub.dispose()

    // While the engine is open, so the WAL still holds what was written.
    const files = filesUnder(fx.fx.dataDir)
    expect(files.some((f) => f.endsWith('.db-wal') || f.endsWith('-wal'))).toBe(true)
    const holding = files.filter((f) => readFileSync(f).includes(STORED))
    expect(holding).toEqual([join(fx.fx.dataDir, 'secrets.json')])
    if (process.platform !== 'win32') {
      expect(statSync(holding[0]!).mode & 0o777).toBe(0o600)
    }
    expect(fx.fx.logger.lines.length).toBeGreaterThan(0)
    expect(fx.fx.logger.lines.join('')).not.toContain(STORED)
    expect(events.length).toBeGreaterThan(0)
    expect(JSON.stringify(events)).not.toContain(STORED)
  })
})
