import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy/decide'
import type { Mode } from '../../src/main/policy/modes'

const home = '/home/u'
const dataDir = '/home/u/.paddock'
const spillDir = join(dataDir, 'spill', 's1')
const ctx = (mode: Mode) => ({
  mode,
  workspaceRoot: '/home/u/project',
  home,
  dataDir,
  spillDir,
  rules: [],
})

describe('read of the session’s own spill folder (tool outputs shown in part)', () => {
  it.each(['full-auto', 'auto-edit', 'ask', 'plan'] as Mode[])('is allowed in %s', (mode) => {
    const d = decide('read', { path: join(spillDir, 'bash-1.log') }, ctx(mode))
    expect(d.action).toBe('allow')
  })

  it('does not open the rest of the data folder or another session’s spill files', () => {
    expect(
      decide('read', { path: join(dataDir, 'spill', 's2', 'bash-1.log') }, ctx('full-auto')).action,
    ).toBe('deny')
    expect(
      decide('read', { path: join(spillDir, '..', '..', 'secrets.json') }, ctx('full-auto')).action,
    ).toBe('deny')
    expect(decide('read', { path: join(dataDir, 'paddock.db') }, ctx('full-auto')).action).toBe(
      'deny',
    )
  })

  it('is for read only: other tools there are judged as before', () => {
    expect(
      decide('write', { path: join(spillDir, 'x.log'), content: '' }, ctx('full-auto')).action,
    ).toBe('deny')
    expect(
      decide('bash', { command: `cat ${join(spillDir, 'bash-1.log')}` }, ctx('full-auto')).action,
    ).not.toBe('allow')
  })
})

describe('a link in the spill folder', () => {
  it('does not open what it points to: the file read must really be in the spill folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'paddock-spill-'))
    try {
      const realHome = join(root, 'home')
      const realData = join(realHome, '.paddock')
      const realSpill = join(realData, 'spill', 's1')
      mkdirSync(realSpill, { recursive: true })
      mkdirSync(join(realHome, '.ssh'))
      writeFileSync(join(realHome, '.ssh', 'id_ed25519'), 'PRIVATE KEY\n')
      writeFileSync(join(realSpill, 'bash-1.log'), 'output\n')
      // A command can leave a link there; reading it must not skip the policy's judgement.
      symlinkSync(join(realHome, '.ssh', 'id_ed25519'), join(realSpill, 'key.log'))
      const real = (mode: Mode) => ({
        mode,
        workspaceRoot: join(realHome, 'project'),
        home: realHome,
        dataDir: realData,
        spillDir: realSpill,
        rules: [],
      })
      expect(decide('read', { path: join(realSpill, 'bash-1.log') }, real('ask')).action).toBe(
        'allow',
      )
      for (const mode of ['full-auto', 'ask'] as Mode[]) {
        expect(decide('read', { path: join(realSpill, 'key.log') }, real(mode)).action).not.toBe(
          'allow',
        )
      }
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
