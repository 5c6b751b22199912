import { describe, expect, it } from 'vitest'
import {
  TOOLS_GUIDANCE,
  buildSystemPrompt,
  upgradeLegacySystemPrompt,
} from '../../src/main/context/system-prompt'
import { builtinTools, toolSpecs } from '../../src/main/tools/registry'
import { legacySystemPrompt } from '../support/legacy-system-prompt'

const parts = {
  workspaceRoot: '/home/ada/project',
  os: 'linux (x64)',
  date: '2026-03-04',
  instructions: [
    { path: 'AGENTS.md', content: 'Run the tests.\n' },
    { path: 'src/AGENTS.md', content: 'Use tabs.' },
  ],
}

describe('buildSystemPrompt', () => {
  it('tells a worktree session its branch and base, and a session in place nothing of git', () => {
    const inWorktree = buildSystemPrompt({
      ...parts,
      workspaceRoot: '/home/ada/project.worktrees/fix-auth',
      git: { branch: 'paddock/fix-auth', base: 'main' },
    })
    expect(inWorktree).toContain(
      'Workspace (current directory): /home/ada/project.worktrees/fix-auth\nGit: a worktree of its own on branch paddock/fix-auth, made from main;',
    )
    expect(buildSystemPrompt(parts)).not.toContain('Git:')
  })

  it('says one line about tools and none of their descriptions (the tool definitions carry them)', () => {
    const prompt = buildSystemPrompt(parts)
    expect(prompt).toContain(`# Tools\n${TOOLS_GUIDANCE}\n\n# Environment`)
    for (const tool of toolSpecs(builtinTools())) {
      expect(prompt).not.toContain(tool.description.slice(0, 40))
      expect(prompt).not.toContain(`- ${tool.name}:`)
    }
  })

  it('is the same bytes for the same parts: only the session start’s date and folder vary it', () => {
    const prompt = buildSystemPrompt(parts)
    expect(buildSystemPrompt({ ...parts })).toBe(prompt)
    expect(prompt).toContain(
      '# Environment\nWorkspace (current directory): /home/ada/project\n' +
        'Operating system: linux (x64)\nDate: 2026-03-04',
    )
    expect(buildSystemPrompt({ ...parts, date: '2026-03-05' })).not.toBe(prompt)
  })

  it('ends with the project instructions, outermost first', () => {
    const prompt = buildSystemPrompt(parts)
    expect(
      prompt.endsWith('## AGENTS.md\n\nRun the tests.\n\n## src/AGENTS.md\n\nUse tabs.\n'),
    ).toBe(true)
    expect(buildSystemPrompt({ ...parts, instructions: [] })).not.toContain(
      '# Project instructions',
    )
  })
})

describe('upgradeLegacySystemPrompt', () => {
  const tools = toolSpecs(builtinTools())

  it('brings a prompt that listed the tools to the current one, keeping folder, date and instructions', () => {
    const legacy = legacySystemPrompt({ ...parts, tools })
    expect(legacy).toContain('# Tools\n- ')
    expect(upgradeLegacySystemPrompt(legacy)).toBe(buildSystemPrompt(parts))
    expect(upgradeLegacySystemPrompt(legacySystemPrompt({ ...parts, tools: [] }))).toBe(
      buildSystemPrompt(parts),
    )
  })

  it('leaves a current prompt, and a "# Tools" list in the project instructions, alone', () => {
    expect(upgradeLegacySystemPrompt(buildSystemPrompt(parts))).toBeNull()
    const own = {
      ...parts,
      instructions: [{ path: 'AGENTS.md', content: '# Tools\n- make: builds it\n' }],
    }
    expect(upgradeLegacySystemPrompt(buildSystemPrompt(own))).toBeNull()
    expect(upgradeLegacySystemPrompt(legacySystemPrompt({ ...own, tools }))).toBe(
      buildSystemPrompt(own),
    )
  })
})
