import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCliIn } from '../support/cli-in-process'
import { engineFixture } from '../support/engine'
import { tempDir } from '../support/temp'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  cleanup = undefined
})

function skill(root: string, name: string, text: string): void {
  mkdirSync(join(root, name), { recursive: true })
  writeFileSync(join(root, name, 'SKILL.md'), text)
}

describe('paddock skills list', () => {
  it('lists the workspace’s and the user’s skills, then the problems; exit 0 with problems', async () => {
    const t = tempDir()
    cleanup = t.cleanup
    const home = join(t.path, 'home')
    const project = join(t.path, 'project')
    mkdirSync(project, { recursive: true })
    skill(
      join(project, '.paddock/skills'),
      'deploy',
      '---\nname: deploy\ndescription: Deploy the site to the staging server, then check it.\n---\n',
    )
    skill(
      join(home, '.agents/skills'),
      'deploy',
      '---\nname: deploy\ndescription: My own deploy.\n---\n',
    )
    skill(
      join(home, '.agents/skills'),
      'quiet',
      '---\nname: quiet\ndescription: Only when asked.\ndisable-model-invocation: true\n---\n',
    )
    const data = join(t.path, 'data')
    const io = { cwd: t.path, env: { HOME: home } }

    const res = await runCliIn(data, ['skills', 'list', '--workspace', project], io)
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    const real = realpathSync(project)
    expect(res.stdout).toBe(
      [
        'deploy  Deploy the site to the staging server, then check it.',
        `        ${join(real, '.paddock/skills/deploy/SKILL.md')}`,
        'quiet   Only when asked. [hidden from the model]',
        `        ${join(home, '.agents/skills/quiet/SKILL.md')}`,
        '',
        'Problems (1):',
        `  warning: ${join(home, '.agents/skills/deploy/SKILL.md')}`,
        `    Not loaded: the skill "deploy" in ${join(real, '.paddock/skills')} takes precedence.`,
        '',
      ].join('\n'),
    )

    // Without --workspace: the user's own, where the personal deploy is no longer shadowed.
    const mine = await runCliIn(data, ['skills', 'list'], io)
    expect(mine.stdout).toContain('deploy  My own deploy.')
    expect(mine.stdout).not.toContain('Problems')

    const empty = join(t.path, 'empty-home')
    const none = await runCliIn(data, ['skills', 'list'], { cwd: t.path, env: { HOME: empty } })
    expect(none.stdout).toBe(
      `No skills. Looked in:\n  ${join(empty, '.agents/skills')}\n  ${join(empty, '.paddock/skills')}\n`,
    )
    const usage = await runCliIn(data, ['skills', 'show'], io)
    expect(usage.status).toBe(2)
  })

  it('skills.list refuses an unknown workspace', async () => {
    const fx = engineFixture('cli')
    cleanup = fx.cleanup
    const outcome = await fx.engine.call(
      'skills.list',
      { workspaceId: '0aaaaaaaaaaaaaaaaaaaaa' },
      { transport: 'test' },
    )
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
