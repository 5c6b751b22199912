import { describe, expect, it } from 'vitest'
import type { IndexEntry } from '../../src/main/skills/prompt-index'
import {
  MIN_INDEX_DESCRIPTION_CHARS,
  indexBudgetChars,
  indexEntries,
  replaceSkillsSection,
  skillsSection,
} from '../../src/main/skills/prompt-index'
import type { LoadedSkill } from '../../src/main/skills/discovery'
import { buildSystemPrompt } from '../../src/main/context/system-prompt'

function loaded(name: string, description: string, extra: Partial<LoadedSkill> = {}): LoadedSkill {
  return {
    name,
    description,
    path: `/w/.agents/skills/${name}/SKILL.md`,
    source: 'workspace-agents',
    folder: '/w/.agents/skills',
    hiddenFromModel: false,
    dir: `/w/.agents/skills/${name}`,
    body: `SECRET BODY OF ${name}`,
    ...extra,
  }
}

const entries = (n: number, descChars: number): IndexEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `skill-${String(i).padStart(3, '0')}`,
    description: `${i} `.padEnd(descChars, 'd'),
    path: `.agents/skills/skill-${i}/SKILL.md`,
  }))

describe('the skills index', () => {
  it('lists visible skills sorted by name, paths as read takes them, never bodies', () => {
    const list = indexEntries(
      [
        loaded('zeta', 'Last one.\n  Over two lines.'),
        loaded('alpha', 'First.'),
        loaded('hidden', 'Not for the model.', { hiddenFromModel: true }),
        loaded('home', 'In the home folder.', {
          path: '/h/.agents/skills/home/SKILL.md',
          source: 'user-agents',
        }),
      ],
      '/w',
    )
    expect(list).toEqual([
      { name: 'alpha', description: 'First.', path: '.agents/skills/alpha/SKILL.md' },
      { name: 'home', description: 'In the home folder.', path: '/h/.agents/skills/home/SKILL.md' },
      {
        name: 'zeta',
        description: 'Last one. Over two lines.',
        path: '.agents/skills/zeta/SKILL.md',
      },
    ])
    const section = skillsSection(list, indexBudgetChars(128_000))
    expect(section).toContain('- alpha: First. (.agents/skills/alpha/SKILL.md)\n- home:')
    expect(section).not.toContain('SECRET BODY')
    expect(section).not.toContain('hidden')
    expect(skillsSection([], 1000)).toBe('')
  })

  it('is about 2% of the window: descriptions are shortened first, then entries dropped with a note', () => {
    expect(indexBudgetChars(100_000)).toBe(8_000)
    const many = entries(20, 300)
    const whole = skillsSection(many, 100_000)
    expect(whole.length).toBeGreaterThan(6_000)
    expect(whole).not.toContain('…')

    const shortened = skillsSection(many, 4_000)
    expect(shortened.length).toBeLessThanOrEqual(4_000)
    expect(shortened.match(/^- skill-/gm)).toHaveLength(20)
    expect(shortened).toContain('…')
    expect(shortened).not.toContain('not listed')
    // As long as fits: with room for one more character per description, they are longer.
    const cut = /^- skill-000: (.*) \(/m.exec(shortened)![1]!
    expect(cut.length).toBeGreaterThan(MIN_INDEX_DESCRIPTION_CHARS)
    const roomier = skillsSection(many, 4_000 + 20)
    expect(/^- skill-000: (.*) \(/m.exec(roomier)![1]!.length).toBe(cut.length + 1)

    const dropped = skillsSection(many, 1_500)
    expect(dropped.length).toBeLessThanOrEqual(1_500)
    const kept = dropped.match(/^- skill-/gm)!.length
    expect(kept).toBeLessThan(20)
    expect(kept).toBeGreaterThan(0)
    expect(dropped).toContain(`(${20 - kept} more skills not listed`)
    expect(dropped).toContain('- skill-000:')
    expect(dropped).not.toContain('- skill-019:')
    // The same input gives the same bytes.
    expect(skillsSection(many, 1_500)).toBe(dropped)
  })

  it('replaces the stored index in place and keeps the rest of the prompt byte for byte', () => {
    const parts = {
      workspaceRoot: '/w',
      os: 'linux (x64)',
      date: '2026-01-01',
      instructions: [{ path: 'AGENTS.md', content: 'Be careful.' }],
    }
    const one = skillsSection(entries(1, 20), 10_000)
    const two = skillsSection(entries(2, 20), 10_000)
    const withOne = buildSystemPrompt({ ...parts, skills: one })
    const withTwo = buildSystemPrompt({ ...parts, skills: two })
    const without = buildSystemPrompt(parts)
    expect(withOne.indexOf('# Skills')).toBeLessThan(withOne.indexOf('# Project instructions'))
    expect(replaceSkillsSection(withOne, two)).toBe(withTwo)
    expect(replaceSkillsSection(withOne, one)).toBe(withOne)
    expect(replaceSkillsSection(withOne, '')).toBe(without)
    expect(replaceSkillsSection(without, one)).toBe(withOne)
    expect(replaceSkillsSection(without, '')).toBe(without)
  })
})
