import { afterEach, describe, expect, it } from 'vitest'
import { ModelCatalog } from '../../src/main/providers/catalog'
import type { AgentFixture } from '../support/agent'
import { agentFixture, cappedAgentFixture } from '../support/agent'
import { startFakeLlm } from '../support/fake-llm'

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

/** The call's error code, or 'ok' when it succeeded. */
async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call
    return 'ok'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

describe('a busy session refuses new runs before changing anything', () => {
  it('a prompt with another model on a running session answers session_busy and records no model switch', async () => {
    a = await agentFixture()
    a.fake.script({ text: 'slow', hang: true })
    const before = a.fx.engine.store.branch(a.sessionId).length
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'one', mode: 'full-auto' })
    await a.waitFor((e) => e.type === 'turn.state' || e.type === 'turn.delta')
    const written = a.fx.engine.store.branch(a.sessionId).length
    expect(written).toBeGreaterThan(before)

    const code = await codeOf(
      a.fx.call('sessions.prompt', {
        sessionId: a.sessionId,
        text: 'two',
        mode: 'full-auto',
        model: 'env/fake-model',
      }),
    )
    expect(code).toBe('session_busy')
    const types = a.fx.engine.store.branch(a.sessionId).map((e) => e.type)
    expect(types).not.toContain('model_switch')
    expect(types).toHaveLength(written)
    await a.fx.call('sessions.abort', { sessionId: a.sessionId })
  })

  it('continue with the spend OK on a running session answers session_busy and records no approval', async () => {
    const fake = await startFakeLlm()
    const pricing = new ModelCatalog().pricingFor('kimi-k2', 'openrouter')!
    // One turn costs more than the whole cap.
    const promptTokens = Math.ceil(0.02 / (pricing.input / 1_000_000))
    a = await cappedAgentFixture(fake, 0.01)
    // The first turn spends past the cap and asks to write a file: the run waits for approval.
    a.fake.script({
      toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'x' } }],
      usage: { prompt_tokens: promptTokens, completion_tokens: 0 },
    })
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'go', mode: 'ask' })
    await a.waitFor(
      (e) =>
        e.type === 'entry.appended' &&
        e.entry.type === 'approval' &&
        (e.entry.payload as { kind?: string }).kind === 'request',
    )
    const approvalsBefore = a.fx.engine.store
      .branch(a.sessionId)
      .filter((e) => e.type === 'approval').length

    const code = await codeOf(
      a.fx.call('sessions.continue', {
        sessionId: a.sessionId,
        mode: 'full-auto',
        approveSpend: true,
      }),
    )
    expect(code).toBe('session_busy')
    const approvalsAfter = a.fx.engine.store
      .branch(a.sessionId)
      .filter((e) => e.type === 'approval').length
    expect(approvalsAfter).toBe(approvalsBefore)
    await a.fx.call('sessions.abort', { sessionId: a.sessionId })
    await fake.close()
  })
})
