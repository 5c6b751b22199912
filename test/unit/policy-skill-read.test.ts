import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy/decide'
import type { Mode } from '../../src/main/policy/modes'
import { tempDir } from '../support/temp'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  cleanup = undefined
})

/** A home with a skills folder holding one skill, a credential folder and a secret-named file. */
function world(): {
  home: string
  skills: string
  ctx: (mode: Mode) => Parameters<typeof decide>[2]
} {
  const t = tempDir()
  cleanup = t.cleanup
  const home = join(t.path, 'home')
  const skills = join(home, '.agents', 'skills')
  mkdirSync(join(skills, 'pdf'), { recursive: true })
  writeFileSync(join(skills, 'pdf', 'SKILL.md'), '---\nname: pdf\ndescription: d\n---\n')
  writeFileSync(join(skills, 'pdf', '.env'), 'TOKEN=1\n')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  writeFileSync(join(home, '.ssh', 'config'), 'Host x\n')
  symlinkSync(join(home, '.ssh'), join(skills, 'sneaky'))
  mkdirSync(join(home, 'project'), { recursive: true })
  return {
    home,
    skills,
    ctx: (mode) => ({
      mode,
      workspaceRoot: join(home, 'project'),
      home,
      dataDir: join(t.path, 'data'),
      readRoots: [skills],
      rules: [],
    }),
  }
}

describe('read of the user’s skills folders', () => {
  it.each(['ask', 'auto-edit', 'plan', 'full-auto'] as Mode[])('is allowed in %s', (mode) => {
    const w = world()
    const d = decide('read', { path: join(w.skills, 'pdf', 'SKILL.md') }, w.ctx(mode))
    expect(d).toMatchObject({ action: 'allow', reason: 'it reads an installed skill' })
  })

  it('is not allowed without the folder being a read root, nor for other tools', () => {
    const w = world()
    const file = join(w.skills, 'pdf', 'SKILL.md')
    expect(decide('read', { path: file }, { ...w.ctx('ask'), readRoots: [] }).action).toBe('ask')
    expect(decide('write', { path: file, content: 'x' }, w.ctx('ask')).action).not.toBe('allow')
    expect(
      decide('edit', { path: file, old_string: 'a', new_string: 'b' }, w.ctx('ask')).action,
    ).not.toBe('allow')
  })

  it('does not open a secret-named file or a link to a credential folder', () => {
    const w = world()
    expect(decide('read', { path: join(w.skills, 'pdf', '.env') }, w.ctx('ask')).action).toBe('ask')
    const linked = decide('read', { path: join(w.skills, 'sneaky', 'config') }, w.ctx('ask'))
    expect(linked.action).not.toBe('allow')
    expect(
      decide('read', { path: join(w.skills, 'sneaky', 'config') }, w.ctx('full-auto')).action,
    ).not.toBe('allow')
    // Even where a symlinked skill folder's real place is a read root, a credential folder is not.
    const roots = { ...w.ctx('ask'), readRoots: [w.skills, join(w.home, '.ssh')] }
    expect(decide('read', { path: join(w.skills, 'sneaky', 'config') }, roots).action).not.toBe(
      'allow',
    )
  })
})
