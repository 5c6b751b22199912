import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { logged } from '../support/session-log'
import { tempDir } from '../support/temp'

/**
 * Agent Skills at the wire: what the fake model receives. The workspace and the fixture's temp
 * home folder hold real SKILL.md folders; the engine finds them as a user's would.
 */

let a: AgentFixture | undefined
const cleanups: Array<() => void> = []
afterEach(async () => {
  await a?.close()
  a = undefined
  while (cleanups.length) cleanups.pop()!()
})

function skill(root: string, rel: string, name: string, description: string, extra = ''): string {
  const dir = join(root, rel, name)
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'SKILL.md')
  writeFileSync(
    file,
    `---\nname: ${name}\ndescription: ${description}\n${extra}---\n\nBODY-OF-${name}: step one, step two.\n`,
  )
  return file
}

function messages(f: AgentFixture, n: number): ChatCompletionMessageParam[] {
  return f.fake.chatRequests()[n]!.messages as ChatCompletionMessageParam[]
}

const text = (m: ChatCompletionMessageParam | undefined): string =>
  typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content)

describe('skills (wire)', () => {
  it('the first request carries the index — names, descriptions, paths — and no bodies', async () => {
    a = await agentFixture()
    const home = a.fx.home
    skill(a.workspace, '.agents/skills', 'release-notes', 'Write release notes from the git log.')
    skill(home, '.paddock/skills', 'pdf-tools', 'Work with PDF files.')
    skill(home, '.agents/skills', 'private', 'Only when asked.', 'disable-model-invocation: true\n')
    skill(home, '.agents/skills', 'release-notes', 'A personal copy the workspace overrides.')
    a.fake.script({ text: 'ok' })
    expect(await a.run('hello')).toEqual({ reason: 'done' })

    const system = text(messages(a, 0).find((m) => m.role === 'system'))
    const index = system.slice(system.indexOf('# Skills'))
    expect(index).toContain(
      '- pdf-tools: Work with PDF files. (' +
        join(home, '.paddock/skills/pdf-tools/SKILL.md') +
        ')',
    )
    expect(index).toContain(
      '- release-notes: Write release notes from the git log. (.agents/skills/release-notes/SKILL.md)',
    )
    expect(index.indexOf('- pdf-tools')).toBeLessThan(index.indexOf('- release-notes'))
    expect(system).not.toContain('BODY-OF')
    expect(system).not.toContain('private')
    expect(system).not.toContain('personal copy')
  })

  it('a small window gets a shortened index, within 2 % of it', async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    mkdirSync(join(t.path, 'data'), { recursive: true })
    writeFileSync(
      join(t.path, 'data', 'models.json'),
      JSON.stringify({ models: [{ id: 'fake-model', contextWindow: 8_192, maxOutput: 1024 }] }),
    )
    a = await agentFixture({ reuse: { root: t.path } })
    const long = 'Use this skill for a task of this kind; '.repeat(12).trim()
    for (let i = 0; i < 8; i++) skill(a.workspace, '.agents/skills', `skill-${i}`, long)
    a.fake.script({ text: 'ok' })
    await a.run('hello')
    const system = text(messages(a, 0)[0])
    const index = system.slice(system.indexOf('# Skills'), system.indexOf('</skills>') + 9)
    // 2 % of 8,192 tokens at 4 characters a token.
    expect(index.length).toBeLessThanOrEqual(655)
    expect(index).toContain('…')
    expect(index).not.toContain(long)
    expect(index).toContain('- skill-0: Use this skill')
  })

  it('keeps the prefix while the skills stay, and replaces only the index when they change', async () => {
    a = await agentFixture()
    skill(a.workspace, '.agents/skills', 'one', 'The first skill.')
    a.fake.script({ text: 'ok' }, { text: 'ok' }, { text: 'ok' })
    await a.run('first')
    await a.run('second')
    const [r1, r2] = [messages(a, 0), messages(a, 1)]
    expect(text(r2[0])).toBe(text(r1[0]))

    skill(a.workspace, '.agents/skills', 'two', 'The second skill.')
    await a.run('third')
    const r3 = text(messages(a, 2)[0])
    expect(r3).toContain('- two: The second skill.')
    expect(r3.replace(/- two: .*\n/, '')).toBe(text(r1[0]))
    expect(logged(a, 'context').map((c) => c.reason)).toEqual([undefined, 'skills_changed'])
  })

  it('/name loads the skill body into that prompt, and the entry records which skill', async () => {
    a = await agentFixture()
    const file = skill(
      a.fx.home,
      '.agents/skills',
      'private',
      'Only when asked.',
      'disable-model-invocation: true\n',
    )
    a.fake.script({ text: 'done as the skill says' })
    expect(await a.run('/private tidy the docs')).toEqual({ reason: 'done' })

    const user = messages(a, 0).filter((m) => m.role === 'user')
    expect(user).toHaveLength(1)
    const sent = text(user[0])
    expect(sent).toContain(`<skill name="private" path="${file}">`)
    expect(sent).toContain('BODY-OF-private: step one, step two.')
    expect(sent.endsWith('</skill>\n\n/private tidy the docs')).toBe(true)
    expect(logged(a, 'user_message')).toEqual([
      {
        text: '/private tidy the docs',
        kind: 'prompt',
        skill: { name: 'private', path: file, body: 'BODY-OF-private: step one, step two.' },
      },
    ])
    // A slash word that is no skill stays an ordinary prompt.
    a.fake.script({ text: 'ok' })
    await a.run('/nope do it')
    expect(
      text(
        messages(a, 1)
          .filter((m) => m.role === 'user')
          .at(-1),
      ),
    ).toBe('/nope do it')
    expect(logged(a, 'user_message').at(-1)).toEqual({ text: '/nope do it', kind: 'prompt' })
  })

  it('read reaches a user-level skill file without asking; write and edit there are refused', async () => {
    a = await agentFixture()
    const file = skill(a.fx.home, '.agents/skills', 'pdf-tools', 'Work with PDF files.')
    const before = readFileSync(file, 'utf8')
    a.fake.script({ toolCalls: [{ name: 'read', arguments: { path: file } }] }, { text: 'read it' })
    // Ask mode: a read outside the workspace would otherwise wait for the user.
    expect(await a.run('use the pdf skill', { mode: 'ask' })).toEqual({ reason: 'done' })
    const [read] = logged(a, 'tool_result')
    expect(read!.isError).toBe(false)
    expect(read!.content).toContain('BODY-OF-pdf-tools')

    a.fake.script(
      {
        toolCalls: [
          { name: 'write', arguments: { path: file, content: 'overwritten' } },
          {
            name: 'edit',
            arguments: { path: file, old_string: 'step one', new_string: 'step zero' },
          },
        ],
      },
      { text: 'tried' },
    )
    const ended = a.run('change the skill')
    // Writing outside the workspace asks first; allowed anyway, the tools still refuse.
    for (let n = 1; n <= 2; n++) {
      const asked = await a.waitFor(
        () => logged(a!, 'approval').filter((p) => p.kind === 'request').length >= n,
      )
      expect(asked).toBeDefined()
      const request = logged(a, 'approval').filter((p) => p.kind === 'request')[n - 1]!
      if (request.kind !== 'request') throw new Error('not a request')
      await a.fx.call('sessions.answerApproval', {
        sessionId: a.sessionId,
        approvalId: request.approvalId,
        answer: 'allow_once',
      })
    }
    expect(await ended).toEqual({ reason: 'done' })
    const [, write, edit] = logged(a, 'tool_result')
    expect(write!.isError).toBe(true)
    expect(write!.content).toMatch(/outside the workspace/)
    expect(edit!.isError).toBe(true)
    expect(edit!.content).toMatch(/outside the workspace/)
    expect(readFileSync(file, 'utf8')).toBe(before)
  })
})
