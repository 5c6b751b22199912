import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy/decide'
import type { Mode } from '../../src/main/policy/modes'
import type { Rule } from '../../src/main/policy/rules'
import { loadWorkspaceRules } from '../../src/main/policy/sources'
import { tempDir } from '../support/temp'

const ROOT = '/work/project'
/** The policy's protected folders, away from ROOT. */
const PLACES = { home: '/home/someone', dataDir: '/home/someone/.paddock' }
const MODES: Mode[] = ['ask', 'auto-edit', 'full-auto', 'plan']
const LETTER = { A: 'allow', K: 'ask', D: 'deny' } as const
type L = keyof typeof LETTER

/** Command line → expected decision in ask, auto-edit, full-auto, plan (A allow, K ask, D deny). */
const COMMANDS: Array<[string, `${L}${L}${L}${L}`]> = [
  ['ls', 'AAAA'],
  ['ls -la src', 'AAAA'],
  ['pwd', 'AAAA'],
  ['cat README.md', 'AAAA'],
  ['head -n 20 src/a.ts', 'AAAA'],
  ['wc -l src/*.ts', 'AAAA'],
  ['grep -rn TODO src', 'AAAA'],
  ['rg foo', 'AAAA'],
  ["find . -name '*.ts'", 'AAAA'],
  ['git status', 'AAAA'],
  ['git log --oneline -5', 'AAAA'],
  ['git diff HEAD~1', 'AAAA'],
  ['sed s/a/b/ file.txt', 'AAAA'],
  ['cat file 2>&1 | head', 'AAAA'],
  ['ls > /dev/null 2>&1', 'AAAA'],
  ['ls 2>/dev/null | sort | uniq -c', 'AAAA'],
  ['cat <<EOF\nrm -rf /\nEOF', 'AAAA'],
  ["echo 'a && rm -rf x'", 'AAAA'],
  ['ls && rm -rf x', 'KKAD'],
  ['ls; rm x', 'KKAD'],
  ['ls || rm x', 'KKAD'],
  ['rm x', 'KKAD'],
  ['rm -rf build', 'KKAD'],
  ['echo hi > out.txt', 'KKAD'],
  ['echo hi >> log.txt', 'KKAD'],
  ['ls &> listing.txt', 'KKAD'],
  ['ls | tee out.log', 'KKAD'],
  ['npm test', 'KKAD'],
  ['npm test 2>&1 | head -50', 'KKAD'],
  ['npm install', 'KKAD'],
  ['make', 'KKAD'],
  ['python3 script.py', 'KKAD'],
  ['node server.js &', 'KKAD'],
  ['find . -delete', 'KKAD'],
  ["find . -name '*.tmp' -exec rm {} \\;", 'KKAD'],
  ['env FOO=1 rm x', 'KKAD'],
  ['xargs rm', 'KKAD'],
  ['git ls-files | xargs rm -f', 'KKAD'],
  ['eval "rm -rf x"', 'KKAD'],
  ["sh -c 'touch x'", 'KKAD'],
  ['timeout 5 npm test', 'KKAD'],
  ['sed -i s/a/b/ file.txt', 'KKAD'],
  ['git checkout main', 'KKAD'],
  ['git reset --hard HEAD~1', 'KKAD'],
  ['git clean -fdx', 'KKAD'],
  ['git commit -m wip', 'KKAD'],
  ['git push origin main', 'KKAD'],
  ['git branch -D old', 'KKAD'],
  ['git stash', 'KKAD'],
  ['echo `date`', 'KKAK'],
  ['echo $(echo $(ls))', 'KKAK'],
  ['ls $(cat list.txt)', 'KKAD'],
  ["bash -c 'rm -rf /'", 'DDDD'],
  ['sudo rm -rf /', 'DDDD'],
  ['rm -rf ~', 'DDDD'],
  ['rm -rf /*', 'DDDD'],
  ['ls && rm -rf $HOME', 'DDDD'],
  ['dd if=/dev/zero of=/dev/sda', 'DDDD'],
  ['mkfs.ext4 /dev/sdb1', 'DDDD'],
  ['shutdown -h now', 'DDDD'],
  ['echo "unterminated', 'KKKK'],
]

describe('shell commands under each mode', () => {
  it('covers at least 60 command lines', () => {
    expect(COMMANDS.length).toBeGreaterThanOrEqual(60)
  })
  for (const [line, expected] of COMMANDS) {
    it(`${JSON.stringify(line)} → ${expected}`, () => {
      const got = MODES.map(
        (mode) =>
          decide('bash', { command: line }, { mode, workspaceRoot: ROOT, ...PLACES, rules: [] })
            .action,
      )
      expect(got).toEqual([...expected].map((c) => LETTER[c as L]))
    })
  }

  it('marks the risky parts and names the deciding rule', () => {
    const d = decide(
      'bash',
      { command: 'ls && rm -rf x' },
      { mode: 'ask', workspaceRoot: ROOT, ...PLACES, rules: [] },
    )
    expect(d.subcommands!.map((s) => [s.argv[0], s.action])).toEqual([
      ['ls', 'allow'],
      ['rm', 'ask'],
    ])
    expect(d.reason).toMatch(/^rm -rf x: /)
    const w = decide(
      'bash',
      { command: 'echo hi > out.txt' },
      { mode: 'ask', workspaceRoot: ROOT, ...PLACES, rules: [] },
    )
    expect(w.action).toBe('ask')
    expect(w.reason).toMatch(/out\.txt/)
    expect(w.subcommands![0]!.risky.join(' ')).toMatch(/out\.txt/)
  })
})

const rule = (
  tool: string,
  pattern: string,
  action: Rule['action'],
  source: Rule['source'] = 'user',
): Rule => ({
  tool,
  pattern,
  action,
  source,
})

describe('rules', () => {
  it('last match wins across sources: a user allow for npm test, a session deny for the watch form', () => {
    const rules = [
      rule('bash', 'npm test', 'allow'),
      rule('bash', 'npm test -- --watch', 'deny', 'session'),
    ]
    const ctx = { mode: 'ask' as const, workspaceRoot: ROOT, ...PLACES, rules }
    expect(decide('bash', { command: 'npm test' }, ctx).action).toBe('allow')
    expect(decide('bash', { command: 'npm test 2>&1 | head' }, ctx).action).toBe('allow')
    expect(decide('bash', { command: 'npm testing' }, ctx).action).toBe('ask')
    expect(decide('bash', { command: 'npm test -- --watch' }, ctx).action).toBe('deny')
    expect(decide('bash', { command: 'npm test && rm x' }, ctx).action).toBe('ask')
    expect(decide('bash', { command: 'npm test > out.txt' }, ctx).action).toBe('ask')
    expect(decide('bash', { command: 'npm test' }, ctx).rule).toMatchObject({
      source: 'user',
      pattern: 'npm test',
    })
  })

  it('a deny anywhere wins, even in full-auto', () => {
    const ctx = {
      mode: 'full-auto' as const,
      workspaceRoot: ROOT,
      ...PLACES,
      rules: [rule('bash', 'git push', 'deny')],
    }
    expect(decide('bash', { command: 'git status && git push' }, ctx).action).toBe('deny')
  })

  it('edits follow the mode; plan refuses them; path globs are relative to the workspace', () => {
    const at = (mode: Mode, path: string, rules: Rule[] = []): string =>
      decide(
        'edit',
        { path, old_string: 'a', new_string: 'b' },
        { mode, workspaceRoot: ROOT, ...PLACES, rules },
      ).action
    expect(MODES.map((m) => at(m, 'src/a.ts'))).toEqual(['ask', 'allow', 'allow', 'deny'])
    expect(at('ask', 'src/a.ts', [rule('edit', 'src/**', 'allow')])).toBe('allow')
    expect(at('ask', `${ROOT}/src/a.ts`, [rule('edit', 'src/**', 'allow')])).toBe('allow')
    expect(at('ask', 'docs/a.md', [rule('edit', 'src/**', 'allow')])).toBe('ask')
    expect(
      MODES.map(
        (m) =>
          decide(
            'read',
            { path: 'src/a.ts' },
            { mode: m, workspaceRoot: ROOT, ...PLACES, rules: [] },
          ).action,
      ),
    ).toEqual(['allow', 'allow', 'allow', 'allow'])
  })

  it('asks for paths outside the workspace, secrets and .git/ in every mode, unless the session chose', () => {
    for (const mode of MODES.filter((m) => m !== 'plan')) {
      for (const path of [
        '../other/x.ts',
        '/etc/hosts',
        '.env',
        '.env.local',
        'config/id_rsa',
        'certs/server.key',
        '.git/config',
      ]) {
        const d = decide(
          'write',
          { path, content: '' },
          { mode, workspaceRoot: ROOT, ...PLACES, rules: [rule('*', '*', 'allow')] },
        )
        expect(d.action, `${mode} ${path}`).toBe('ask')
        expect(d.rule).toBeNull()
      }
    }
    expect(
      decide(
        'read',
        { path: '.env' },
        { mode: 'full-auto', workspaceRoot: ROOT, ...PLACES, rules: [] },
      ).action,
    ).toBe('ask')
    const chosen = decide(
      'read',
      { path: '.env' },
      {
        mode: 'ask',
        workspaceRoot: ROOT,
        ...PLACES,
        rules: [rule('read', '.env', 'allow', 'session')],
      },
    )
    expect(chosen.action).toBe('allow')
  })
})

describe('workspace permission file', () => {
  it('is ignored until the workspace is trusted', () => {
    const t = tempDir()
    try {
      mkdirSync(join(t.path, '.paddock'))
      writeFileSync(
        join(t.path, '.paddock', 'permissions.json'),
        JSON.stringify({ rules: [{ tool: 'bash', pattern: 'rm', action: 'allow' }] }),
      )
      const untrusted = loadWorkspaceRules(t.path, false)
      expect(untrusted.rules).toEqual([])
      expect(untrusted.ignored).toMatch(/ignored until you trust this workspace/)
      const trusted = loadWorkspaceRules(t.path, true)
      expect(trusted.rules).toEqual([
        { tool: 'bash', pattern: 'rm', action: 'allow', source: 'workspace' },
      ])
      const ctx = (rules: Rule[]) => ({
        mode: 'ask' as const,
        workspaceRoot: t.path,
        ...PLACES,
        rules,
      })
      expect(decide('bash', { command: 'rm x' }, ctx(untrusted.rules)).action).toBe('ask')
      expect(decide('bash', { command: 'rm x' }, ctx(trusted.rules)).action).toBe('allow')
      writeFileSync(join(t.path, '.paddock', 'permissions.json'), '{"rules": [{"tool": "bash"}]}')
      expect(loadWorkspaceRules(t.path, true).ignored).toMatch(/invalid/)
    } finally {
      t.cleanup()
    }
  })
})
