import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ModelCatalog } from '../../src/main/providers/catalog'
import type { AgentFixture } from '../support/agent'
import { cappedAgentFixture } from '../support/agent'
import { runCliIn } from '../support/cli-in-process'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'
import { startFakeLlm } from '../support/fake-llm'

let fx: EngineFixture | null = null
let a: AgentFixture | null = null
afterEach(async () => {
  fx?.cleanup()
  fx = null
  await a?.close()
  a = null
})

/** Call and return the error code and message (the call must fail). */
async function failure(
  f: EngineFixture,
  method: 'settings.set' | 'settings.unset' | 'policy.preview',
  params: unknown,
): Promise<{ code: string; message: string }> {
  const outcome = await f.engine.call(method, params, { transport: 'test' })
  if (outcome.ok) throw new Error(`${method} should have failed`)
  return outcome.error
}

describe('settings over the contract', () => {
  it('read and write the rows `paddock settings` reads and writes', async () => {
    fx = engineFixture()
    const cli = (args: string[]): ReturnType<typeof runCliIn> =>
      runCliIn(fx!.dataDir, args, { cwd: fx!.home })

    expect(await fx.call('settings.get', {})).toEqual({ values: {}, problems: {} })

    // Contract → CLI.
    const after = await fx.call('settings.set', { key: 'spend.perDayUsd', value: 12.5 })
    expect(after.values['spend.perDayUsd']).toBe(12.5)
    expect((await cli(['settings', 'get', 'spend.perDayUsd'])).stdout).toBe('12.5\n')
    await fx.call('settings.set', { key: 'terminals.scrollbackLines', value: 5000 })
    await fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'npm test', action: 'allow' }],
    })
    const list = JSON.parse((await cli(['settings', 'list', '--json'])).stdout) as Array<{
      key: string
      value: unknown
    }>
    expect(list.find((r) => r.key === 'terminals.scrollbackLines')?.value).toBe(5000)
    expect(list.find((r) => r.key === 'permissions.rules')?.value).toEqual([
      { tool: 'bash', pattern: 'npm test', action: 'allow' },
    ])

    // CLI → contract.
    expect((await cli(['settings', 'set', 'network.proxy', 'http://proxy.corp:3128'])).status).toBe(
      0,
    )
    expect((await cli(['settings', 'unset', 'spend.perDayUsd'])).status).toBe(0)
    const read = await fx.call('settings.get', {})
    expect(read.values['network.proxy']).toBe('http://proxy.corp:3128')
    expect(read.values['spend.perDayUsd']).toBeUndefined()

    // Unset over the contract: the default applies again.
    const unset = await fx.call('settings.unset', { key: 'network.proxy' })
    expect(unset.values['network.proxy']).toBeUndefined()
    expect((await cli(['settings', 'get', 'network.proxy'])).stdout).toBe('\n')
  })

  it('refuse invalid values with the key and the reason, storing nothing', async () => {
    fx = engineFixture()
    await fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'npm test', action: 'allow' }],
    })
    const badRule = await failure(fx, 'settings.set', {
      key: 'permissions.rules',
      value: [
        { tool: 'bash', pattern: 'npm test', action: 'allow' },
        { tool: 'bash', pattern: '', action: 'allow' },
      ],
    })
    expect(badRule.code).toBe('invalid_params')
    expect(badRule.message).toContain('value.1.pattern')
    expect(badRule.message).toContain('give a pattern')
    const blank = await failure(fx, 'settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: '   ', action: 'deny' }],
    })
    expect(blank.message).toContain('give a pattern')
    // A pattern is kept as written: the space of a command prefix ("rm ", not "rmdir") matters.
    await fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'rm ', action: 'deny' }],
    })
    expect(await fx.call('settings.get', {})).toMatchObject({
      values: { 'permissions.rules': [{ tool: 'bash', pattern: 'rm ', action: 'deny' }] },
    })
    await fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'npm test', action: 'allow' }],
    })
    const badAction = await failure(fx, 'settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'x', action: 'maybe' }],
    })
    expect(badAction.message).toContain('value.0.action')
    const badCap = await failure(fx, 'settings.set', { key: 'spend.perSessionUsd', value: -1 })
    expect(badCap.message).toContain('value')
    const badCa = await failure(fx, 'settings.set', { key: 'network.caFile', value: 'ca.pem' })
    expect(badCa.message).toContain('must be an absolute path')
    const unknown = await failure(fx, 'settings.set', { key: 'providers', value: [] })
    expect(unknown.code).toBe('invalid_params')
    const noKey = await failure(fx, 'settings.unset', { key: 'colour' })
    expect(noKey.code).toBe('invalid_params')

    const read = await fx.call('settings.get', {})
    expect(read.values['permissions.rules']).toEqual([
      { tool: 'bash', pattern: 'npm test', action: 'allow' },
    ])
    expect(read.values['spend.perSessionUsd']).toBeUndefined()
    expect(read.values['network.caFile']).toBeUndefined()
  })

  it('report a stored value that no longer parses instead of failing the read', async () => {
    fx = engineFixture()
    fx.engine.db
      .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
      .run('terminals.scrollbackLines', '"lots"', 0)
    await fx.call('settings.set', { key: 'terminals.shell', value: 'zsh' })
    const read = await fx.call('settings.get', {})
    expect(read.values).toEqual({ 'terminals.shell': 'zsh' })
    expect(read.problems['terminals.scrollbackLines']).toMatch(/terminals\.scrollbackLines/)
  })
})

describe('policy rules over the contract', () => {
  it('lists the user’s rules and the workspace’s file, applied only once trusted', async () => {
    fx = engineFixture()
    const project = join(fx.home, 'project')
    mkdirSync(join(project, '.paddock'), { recursive: true })
    writeFileSync(
      join(project, '.paddock', 'permissions.json'),
      JSON.stringify({ rules: [{ tool: 'edit', pattern: 'docs/**', action: 'allow' }] }),
    )
    const ws = await fx.call('workspaces.open', { path: project })
    await fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'bash', pattern: 'make', action: 'deny' }],
    })
    const untrusted = await fx.call('policy.rules', { workspaceId: ws.id })
    expect(untrusted.user).toEqual([{ tool: 'bash', pattern: 'make', action: 'deny' }])
    expect(untrusted.workspace.file).toBe(join('.paddock', 'permissions.json'))
    expect(untrusted.workspace.path).toBe(join(ws.path, '.paddock', 'permissions.json'))
    expect(untrusted.workspace.exists).toBe(true)
    expect(untrusted.workspace.rules).toEqual([])
    expect(untrusted.workspace.ignored).toMatch(/until you trust this workspace/)

    await fx.call('workspaces.trust', { workspaceId: ws.id, trusted: true })
    const trusted = await fx.call('policy.rules', { workspaceId: ws.id })
    expect(trusted.workspace.rules).toEqual([{ tool: 'edit', pattern: 'docs/**', action: 'allow' }])
    expect(trusted.workspace.ignored).toBeUndefined()
  })

  it('previews a draft of the user’s rules without storing it', async () => {
    fx = engineFixture()
    const project = join(fx.home, 'project')
    mkdirSync(project, { recursive: true })
    const ws = await fx.call('workspaces.open', { path: project })
    const call = { workspaceId: ws.id, mode: 'ask', tool: 'bash', arguments: { command: 'make' } }

    const stored = await fx.call('policy.preview', call)
    expect(stored.action).toBe('ask')
    expect(stored.rule?.source).not.toBe('user')

    const draft = await fx.call('policy.preview', {
      ...call,
      userRules: [{ tool: 'bash', pattern: 'make', action: 'allow' }],
    })
    expect(draft.action).toBe('allow')
    expect(draft.rule).toEqual({ tool: 'bash', pattern: 'make', action: 'allow', source: 'user' })
    expect((await fx.call('settings.get', {})).values['permissions.rules']).toBeUndefined()

    const invalid = await failure(fx, 'policy.preview', {
      ...call,
      userRules: [{ tool: 'bash', pattern: 'make', action: 'sometimes' }],
    })
    expect(invalid.code).toBe('invalid_params')
    expect(invalid.message).toContain('userRules.0.action')
  })
})

describe('spend over the contract', () => {
  it('a cap set over the contract applies to the next run, and today’s spend is reported', async () => {
    const fake = await startFakeLlm()
    a = await cappedAgentFixture(fake, undefined)
    const pricing = new ModelCatalog().pricingFor('kimi-k2', 'openrouter')!
    const promptTokens = Math.ceil(0.004 / (pricing.input / 1_000_000))
    const usage = { prompt_tokens: promptTokens, completion_tokens: 0 }

    a.fake.script({ text: 'first', usage })
    expect(await a.run('One')).toEqual({ reason: 'done' })
    const first = await a.fx.call('sessions.spendToday', {})
    expect(first.caps).toEqual({})
    expect(first.spentUsd).toBeGreaterThan(0.003)

    // Below what the session has spent: the next run pauses before calling the model.
    await a.fx.call('settings.set', { key: 'spend.perSessionUsd', value: 0.002 })
    const paused = await a.run('Two')
    expect(paused.reason).toBe('spend_cap')
    expect(a.fake.requests).toHaveLength(1)
    const second = await a.fx.call('sessions.spendToday', {})
    expect(second.caps).toEqual({ perSessionUsd: 0.002 })
    expect(second.spentUsd).toBeCloseTo(first.spentUsd, 10)
    await fake.close()
  })
})
