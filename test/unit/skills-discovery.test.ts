import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverSkills, skillFolders, skillReadRoots } from '../../src/main/skills/discovery'
import { parseFrontmatter } from '../../src/main/skills/frontmatter'
import { invokeSkill, invokedSkillName, promptText } from '../../src/main/skills/invoke'
import { tempDir } from '../support/temp'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  cleanup = undefined
})

function places(): { home: string; workspaceRoot: string } {
  const t = tempDir()
  cleanup = t.cleanup
  const home = join(t.path, 'home')
  const workspaceRoot = join(t.path, 'project')
  mkdirSync(home, { recursive: true })
  mkdirSync(workspaceRoot, { recursive: true })
  return { home, workspaceRoot }
}

/** Write `<root>/<rel>/<name>/SKILL.md`. */
function skill(root: string, rel: string, name: string, text: string): string {
  const dir = join(root, rel, name)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'SKILL.md'), text)
  return join(dir, 'SKILL.md')
}

const md = (name: string, description: string, extra = ''): string =>
  `---\nname: ${name}\ndescription: ${description}\n${extra}---\n\n# ${name}\n\nDo the thing.\n`

describe('skill discovery', () => {
  it('searches the workspace before the home folder, .agents before .paddock, and the first wins', () => {
    const p = places()
    expect(skillFolders(p).map((f) => f.source)).toEqual([
      'workspace-agents',
      'workspace-paddock',
      'user-agents',
      'user-paddock',
    ])
    skill(p.home, '.paddock/skills', 'deploy', md('deploy', 'user paddock deploy'))
    skill(p.home, '.agents/skills', 'deploy', md('deploy', 'user agents deploy'))
    skill(p.workspaceRoot, '.paddock/skills', 'deploy', md('deploy', 'workspace paddock deploy'))
    skill(p.home, '.paddock/skills', 'lint', md('lint', 'user lint'))
    skill(p.home, '.agents/skills', 'lint', md('lint', 'user agents lint'))
    const ws = skill(p.workspaceRoot, '.agents/skills', 'review', md('review', 'workspace review'))
    skill(p.home, '.agents/skills', 'review', md('review', 'user review'))

    const d = discoverSkills(p)
    expect(d.skills.map((s) => [s.name, s.description, s.source])).toEqual([
      ['deploy', 'workspace paddock deploy', 'workspace-paddock'],
      ['lint', 'user agents lint', 'user-agents'],
      ['review', 'workspace review', 'workspace-agents'],
    ])
    expect(d.skills.find((s) => s.name === 'review')!.path).toBe(ws)
    const shadowed = d.problems.filter((x) => x.message.includes('takes precedence'))
    expect(shadowed).toHaveLength(4)
    expect(shadowed.every((x) => x.severity === 'warning')).toBe(true)
    expect(shadowed.map((x) => x.path)).toContain(join(p.home, '.paddock/skills/lint/SKILL.md'))
  })

  it('without a workspace, finds the user skills only', () => {
    const p = places()
    skill(p.workspaceRoot, '.agents/skills', 'a', md('a', 'ws'))
    skill(p.home, '.agents/skills', 'b', md('b', 'user'))
    expect(discoverSkills({ home: p.home }).skills.map((s) => s.name)).toEqual(['b'])
  })

  it('lists what is wrong, loads what it can, and never throws', () => {
    const p = places()
    const root = join(p.workspaceRoot, '.agents/skills')
    const noDesc = skill(p.workspaceRoot, '.agents/skills', 'no-desc', '---\nname: no-desc\n---\nx')
    const noFm = skill(p.workspaceRoot, '.agents/skills', 'no-fm', '# just markdown\n')
    const badName = skill(p.workspaceRoot, '.agents/skills', 'bad-name', md('Bad_Name', 'd'))
    const other = skill(p.workspaceRoot, '.agents/skills', 'folder', md('other-name', 'd'))
    const long = skill(p.workspaceRoot, '.agents/skills', 'long', md('long', 'x'.repeat(1025)))
    const flag = skill(
      p.workspaceRoot,
      '.agents/skills',
      'flag',
      md('flag', 'd', 'disable-model-invocation: yes\n'),
    )
    const tooLongName = 'a'.repeat(65)
    const longName = skill(p.workspaceRoot, '.agents/skills', tooLongName, md(tooLongName, 'd'))
    mkdirSync(join(root, 'empty-folder'))
    writeFileSync(join(root, 'stray.md'), 'not a skill folder')

    const d = discoverSkills(p)
    expect(d.skills.map((s) => s.name).sort()).toEqual(
      ['bad-name', 'other-name', tooLongName].sort(),
    )
    const byPath = new Map(d.problems.map((x) => [x.path, x]))
    expect(byPath.get(noDesc)).toEqual({
      path: noDesc,
      severity: 'error',
      message:
        'Not loaded: its frontmatter has no "description"; add one saying what the skill does and when to use it.',
    })
    expect(byPath.get(noFm)?.message).toBe(
      'Not loaded: SKILL.md must start with a "---" line opening its frontmatter.',
    )
    expect(byPath.get(badName)).toMatchObject({
      severity: 'warning',
      message:
        'Its frontmatter has a "name" that is not lowercase letters, digits and single hyphens (not at either end); loaded as "bad-name", its folder\'s name.',
    })
    expect(byPath.get(other)?.message).toBe(
      'Its name "other-name" does not match its folder "folder"; rename one so they match.',
    )
    expect(byPath.get(long)?.message).toBe(
      'Not loaded: its frontmatter has a "description" longer than 1024 characters; shorten it.',
    )
    expect(byPath.get(flag)?.message).toBe(
      'Not loaded: its frontmatter has a "disable-model-invocation" that is not true or false.',
    )
    expect(byPath.get(longName)?.message).toContain('has a "name" longer than 64 characters')
    expect(d.problems).toHaveLength(7)
  })

  it('reads disable-model-invocation, follows a symlinked skill folder and allows reading where it points', () => {
    const p = places()
    skill(p.home, '.agents/skills', 'quiet', md('quiet', 'd', 'disable-model-invocation: true\n'))
    const elsewhere = join(p.home, 'src', 'shared-skill')
    mkdirSync(elsewhere, { recursive: true })
    writeFileSync(join(elsewhere, 'SKILL.md'), md('shared-skill', 'from elsewhere'))
    mkdirSync(join(p.home, '.paddock/skills'), { recursive: true })
    symlinkSync(elsewhere, join(p.home, '.paddock/skills/shared-skill'))

    const d = discoverSkills(p)
    expect(d.skills.map((s) => [s.name, s.hiddenFromModel])).toEqual([
      ['quiet', true],
      ['shared-skill', false],
    ])
    expect(skillReadRoots(d)).toEqual([
      join(p.home, '.agents/skills'),
      join(p.home, '.paddock/skills'),
      elsewhere,
    ])
  })
})

describe('frontmatter', () => {
  it('reads quoted, plain, folded and literal values and skips nested maps', () => {
    const r = parseFrontmatter(
      [
        '---',
        'name: "pdf"',
        'description: >',
        '  Extract text from PDFs.',
        '  Use when the user mentions a PDF.',
        "license: 'Apache-2.0'",
        'metadata:',
        '  author: someone',
        '  version: "1.0"',
        'notes: |',
        '  line one',
        '  line two',
        'disable-model-invocation: false # a comment',
        '---',
        '',
        'Body here.',
      ].join('\n'),
    )
    expect(r).toEqual({
      ok: true,
      fields: {
        name: 'pdf',
        description: 'Extract text from PDFs. Use when the user mentions a PDF.',
        license: 'Apache-2.0',
        notes: 'line one\nline two',
        'disable-model-invocation': false,
      },
      body: 'Body here.',
    })
  })

  it('reports a line that is not key: value, a repeated key and an unclosed block', () => {
    expect(parseFrontmatter('---\nname: a\n- b\n---\n')).toEqual({
      ok: false,
      message: 'Frontmatter line 3 is not "key: value": - b',
    })
    expect(parseFrontmatter('---\nname: a\nname: b\n---\n')).toEqual({
      ok: false,
      message: 'Frontmatter line 3 repeats the key "name".',
    })
    expect(parseFrontmatter('---\nname: a\n')).toEqual({
      ok: false,
      message: 'The frontmatter is not closed by a "---" line.',
    })
    expect(parseFrontmatter('---\ndescription: "open\n---\n')).toEqual({
      ok: false,
      message: 'Frontmatter line 2 (description): a double-quoted value is not closed on its line.',
    })
  })
})

describe('invoking a skill', () => {
  it('takes /name at the start of a prompt only, and only for a skill that exists', () => {
    const p = places()
    skill(p.home, '.agents/skills', 'quiet', md('quiet', 'd', 'disable-model-invocation: true\n'))
    expect(invokedSkillName('/quiet please')).toBe('quiet')
    expect(invokedSkillName('  /quiet\nmore')).toBe('quiet')
    expect(invokedSkillName('see /quiet')).toBeNull()
    expect(invokedSkillName('/usr/bin is odd')).toBeNull()
    expect(invokeSkill('/nothing here', p)).toBeNull()
    const invoked = invokeSkill('/quiet now', p)
    expect(invoked).toEqual({
      name: 'quiet',
      path: join(p.home, '.agents/skills/quiet/SKILL.md'),
      body: '# quiet\n\nDo the thing.',
    })
    expect(promptText({ text: '/quiet now', kind: 'prompt', skill: invoked! })).toBe(
      `<skill name="quiet" path="${invoked!.path}">\n` +
        'The user invoked this skill; follow its instructions. Paths in it are relative to its folder.\n\n' +
        '# quiet\n\nDo the thing.\n</skill>\n\n/quiet now',
    )
  })
})
