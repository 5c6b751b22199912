import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RUN_EXIT } from '../../src/main/cli/run-command'
import { BIN_PADDOCK, REPO_ROOT, requireBuild } from '../support/paths'
import { tempDir } from '../support/temp'

let tmp: ReturnType<typeof tempDir>
let dataDir: string
let project: string

beforeAll(() => {
  requireBuild()
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
  project = join(tmp.path, 'my-project')
  mkdirSync(project)
})
afterAll(() => tmp.cleanup())

function paddock(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number; out: string; err: string } {
  const res = spawnSync(process.execPath, [BIN_PADDOCK, ...args], {
    encoding: 'utf8',
    cwd: tmp.path,
    env: { ...process.env, ...env },
  })
  return { status: res.status ?? -1, out: res.stdout, err: res.stderr }
}

describe('paddock CLI (the built bin)', () => {
  it('creates and lists sessions in a data dir', () => {
    const created = paddock([
      'sessions',
      'create',
      '--workspace',
      'my-project',
      '--title',
      'Fix CI',
      '--json',
      '--data-dir',
      dataDir,
    ])
    expect(created.err).toBe('')
    expect(created.status).toBe(0)
    const session = JSON.parse(created.out) as { id: string; title: string; workspacePath: string }
    expect(session).toMatchObject({ title: 'Fix CI', workspacePath: project })

    paddock(['sessions', 'create', '--workspace', project, '--data-dir', dataDir])
    const listed = paddock(['sessions', 'list', '--json', '--data-dir', dataDir])
    expect(listed.status).toBe(0)
    const rows = JSON.parse(listed.out) as Array<{ id: string; title: string }>
    expect(rows.map((r) => r.title)).toEqual(['Fix CI', 'Session 2'])

    const table = paddock(['sessions', 'list', '--workspace', project], {
      PADDOCK_DATA_DIR: dataDir,
    })
    expect(table.status).toBe(0)
    expect(table.out.split('\n')[0]).toMatch(/^ID\s+TITLE\s+STATUS\s+MODEL\s+WORKSPACE\s+UPDATED/)
    expect(table.out).toContain('Fix CI')
    expect(table.out).toContain(project)
  })

  it('answers bad usage with exit 2 and a clear message', () => {
    const missing = paddock(['sessions', 'create', '--data-dir', dataDir])
    expect(missing.status).toBe(2)
    expect(missing.err).toContain('needs --workspace')
    const unknown = paddock(['sessions', 'explode', '--data-dir', dataDir])
    expect(unknown.status).toBe(2)
    expect(unknown.err).toContain('unknown command "sessions explode"')
    const badFlag = paddock(['sessions', 'list', '--frobnicate'])
    expect(badFlag.status).toBe(2)
  })

  it('--help documents every exit code, each run ending included', () => {
    const help = paddock(['--help'])
    expect(help.status).toBe(0)
    const table = help.out.slice(help.out.indexOf('Exit codes:'))
    const documented = [...table.matchAll(/^ {2}(\d+) /gm)].map((m) => Number(m[1]))
    const used = new Set([0, 1, 2, ...Object.values(RUN_EXIT)])
    expect(documented.sort((x, y) => x - y)).toEqual([...used].sort((x, y) => x - y))
  })

  it('fails with exit 1 and the engine’s message for a refused workspace', () => {
    const res = paddock(['sessions', 'create', '--workspace', '/', '--data-dir', dataDir])
    expect(res.status).toBe(1)
    expect(res.err).toContain('filesystem root')
  })

  it('also runs from source as `npm run paddock`', () => {
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'src/main/cli/main.ts'),
        'sessions',
        'list',
        '--data-dir',
        dataDir,
      ],
      { encoding: 'utf8', cwd: REPO_ROOT },
    )
    expect(res.status).toBe(0)
    expect(res.stdout).toContain('Fix CI')
  })
})
