import { afterEach, describe, expect, it } from 'vitest'
import { AssistantMessagePayload } from '../../src/shared/entries'
import { ModelCatalog } from '../../src/main/providers/catalog'
import { costOf } from '../../src/main/providers/cost'
import type { AgentFixture } from '../support/agent'
import { agentFixture, cappedAgentFixture } from '../support/agent'
import { startFakeLlm } from '../support/fake-llm'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const catalog = new ModelCatalog()

function runCli(args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runNode> {
  return runNode([BIN_PADDOCK, ...args], env)
}

function assistants(): Array<ReturnType<typeof AssistantMessagePayload.parse>> {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'assistant_message')
    .map((e) => AssistantMessagePayload.parse(e.payload))
}

describe('canonical model identity', () => {
  it('sends the provider’s model name, logs and prices the canonical id', async () => {
    requireBuild()
    a = await agentFixture()
    a.fake.script({ text: 'hi', usage: { prompt_tokens: 1000, completion_tokens: 100 } })
    const res = await runCli(
      [
        'run',
        '--workspace',
        a.workspace,
        '--session',
        a.sessionId,
        '--provider',
        'openrouter',
        '--base-url',
        a.fake.baseUrl,
        '--model',
        'kimi-k2',
        '--data-dir',
        a.fx.dataDir,
        'Hello',
      ],
      { OPENROUTER_API_KEY: 'sk-or' },
    )
    expect(res.stderr).toContain('session')
    expect(res.status).toBe(0)
    const sent = a.fake.chatRequests()[0]!
    expect(sent.model).toBe(catalog.providerModelName('kimi-k2', 'openrouter'))
    expect(sent.model).not.toBe('kimi-k2')
    expect(a.fake.requests[0]!.headers.authorization).toBe('Bearer sk-or')
    const [msg] = assistants()
    expect(msg!.model).toBe('kimi-k2')
    const expected = costOf(
      { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0 },
      catalog.pricingFor('kimi-k2', 'openrouter'),
    )
    expect(msg!.costUsd).toBeCloseTo(expected!, 12)
  })

  it('drives Anthropic’s Messages API with the same canonical id', async () => {
    requireBuild()
    a = await agentFixture()
    a.fake.script({ text: 'from claude', usage: { prompt_tokens: 10, completion_tokens: 5 } })
    const res = await runCli(
      [
        'run',
        '--workspace',
        a.workspace,
        '--session',
        a.sessionId,
        '--provider',
        'anthropic',
        '--base-url',
        a.fake.anthropicBaseUrl,
        '--model',
        'claude-sonnet-4-5',
        '--data-dir',
        a.fx.dataDir,
        'Hi',
      ],
      { ANTHROPIC_API_KEY: 'sk-ant' },
    )
    expect(res.status).toBe(0)
    expect(res.stdout).toContain('from claude')
    expect(a.fake.messagesRequests()[0]!.model).toBe(
      catalog.providerModelName('claude-sonnet-4-5', 'anthropic'),
    )
    expect(assistants()[0]!.model).toBe('claude-sonnet-4-5')
  })
})

describe('spend caps', () => {
  it('pause the session at the turn that reaches the cap, and continue only with the user’s OK', async () => {
    const fake = await startFakeLlm()
    const pricing = catalog.pricingFor('kimi-k2', 'openrouter')!
    // Each turn costs about $0.004 at catalog prices: the third reaches a $0.01 cap.
    const promptTokens = Math.ceil(0.004 / (pricing.input / 1_000_000))
    const turnCost = costOf(
      { inputTokens: promptTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      pricing,
    )!
    expect(turnCost * 2).toBeLessThan(0.01)
    expect(turnCost * 3).toBeGreaterThanOrEqual(0.01)
    a = await cappedAgentFixture(fake, 0.01)
    const usage = { prompt_tokens: promptTokens, completion_tokens: 0 }
    // Not the same call three times in a row, so the stuck-agent question does not interfere.
    for (const args of [{}, { path: '.' }, { path: './' }, {}]) {
      a.fake.script({ toolCalls: [{ name: 'ls', arguments: args }], usage })
    }
    a.fake.script({ text: 'done', usage })

    const paused = await a.run('Work')
    expect(paused.reason).toBe('spend_cap')
    expect(paused.message).toMatch(/reaching its cap of \$0\.0100/)
    expect(a.fake.requests).toHaveLength(3)
    // Continue without the OK: still paused, no request made.
    const ended = a.nextEnd()
    await a.fx.call('sessions.continue', { sessionId: a.sessionId, mode: 'full-auto' })
    expect((await ended).reason).toBe('spend_cap')
    expect(a.fake.requests).toHaveLength(3)
    // With the OK: another cap's worth.
    const resumed = a.nextEnd()
    await a.fx.call('sessions.continue', {
      sessionId: a.sessionId,
      mode: 'full-auto',
      approveSpend: true,
    })
    expect(await resumed).toEqual({ reason: 'done' })
    expect(a.fake.requests).toHaveLength(5)
    const status = await a.fx.call('sessions.status', { sessionId: a.sessionId })
    expect(status.usage.calls).toBe(5)
    expect(status.usage.inputTokens).toBe(5 * promptTokens)
    expect(status.usage.costUsd).toBeCloseTo(5 * turnCost, 10)
    await fake.close()
  })
})
