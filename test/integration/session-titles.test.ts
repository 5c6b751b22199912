import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

const fixtures: AgentFixture[] = []
afterEach(async () => {
  for (const f of fixtures.splice(0).reverse()) await f.close()
})

describe('session titles', () => {
  it('titles a new session from its first prompt, once, announced to every client', async () => {
    const a = await agentFixture()
    fixtures.push(a)
    const title = (): string => a.fx.engine.store.getSession(a.sessionId).title
    expect(title()).toBe('Session 1')

    a.fake.script({ text: 'On it.' }, { text: 'Done too.' })
    expect(await a.run('  Fix the login\n   redirect loop   ')).toEqual({ reason: 'done' })
    expect(title()).toBe('Fix the login redirect loop')
    expect(
      a.events.some(
        (e) => e.type === 'session.updated' && e.session.title === 'Fix the login redirect loop',
      ),
    ).toBe(true)

    // The second prompt leaves it; the user may still rename it.
    expect(await a.run('And now the tests')).toEqual({ reason: 'done' })
    expect(title()).toBe('Fix the login redirect loop')
    await a.fx.call('sessions.rename', { sessionId: a.sessionId, title: 'Login work' })
    expect(title()).toBe('Login work')
  })

  it('keeps a title the user chose, and shortens a long first prompt at a word', async () => {
    const a = await agentFixture()
    fixtures.push(a)
    await a.fx.call('sessions.rename', { sessionId: a.sessionId, title: 'My own name' })
    a.fake.script({ text: 'Fine.' })
    await a.run('Rename the variables in the parser module')
    expect(a.fx.engine.store.getSession(a.sessionId).title).toBe('My own name')

    const other = await a.fx.call('sessions.create', { workspaceId: a.workspaceId })
    a.fake.script({ text: 'Fine.' })
    await a.fx.call('sessions.prompt', {
      sessionId: other.id,
      text: `${'word '.repeat(30)}and the end`,
    })
    await a.waitFor(
      (e) => e.type === 'entry.appended' && e.sessionId === other.id && e.entry.type === 'turn_end',
    )
    const long = a.fx.engine.store.getSession(other.id).title
    expect(long.length).toBeLessThanOrEqual(61)
    expect(long).toMatch(/^word word .*word…$/)
  })
})
