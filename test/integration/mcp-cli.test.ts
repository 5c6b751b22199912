import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCliIn } from '../support/cli-in-process'
import { FIXTURE_SERVER, alive, pidsIn } from '../support/mcp'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'

const CLI_MAIN = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')

let tmp: ReturnType<typeof tempDir>
let dataDir: string
beforeEach(() => {
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
})
afterEach(() => tmp.cleanup())

const paddock = (...args: string[]): ReturnType<typeof runCliIn> =>
  runCliIn(dataDir, args, { cwd: tmp.path })

describe('paddock mcp', () => {
  it('adds, lists, disables, enables and removes servers', async () => {
    const added = await paddock(
      'mcp',
      'add',
      'fx',
      '--env',
      'GREETING=hi there',
      '--',
      'node',
      FIXTURE_SERVER,
      '--flag',
    )
    expect(added).toMatchObject({ status: 0, stderr: '' })
    expect(added.stdout).toContain('Added MCP server "fx"')
    const remote = await paddock(
      'mcp',
      'add',
      'gh',
      '--url',
      'http://127.0.0.1:9/mcp',
      '--header',
      'Authorization: Bearer abc',
    )
    expect(remote.status).toBe(0)
    const list = await paddock('mcp', 'list')
    expect(list.status).toBe(0)
    expect(list.stdout).toMatch(/^fx {2}ready {2}10 tools {2}node .*test-server\.mjs --flag$/m)
    expect(list.stdout).toMatch(
      /^gh {2}(restarting|starting) {2}0 tools {2}http:\/\/127\.0\.0\.1:9\/mcp$/m,
    )
    expect(list.stdout).toMatch(/last error: It could not start/)
    const json = JSON.parse((await paddock('mcp', 'list', '--json')).stdout) as {
      servers: Array<{ name: string; tools: unknown[] }>
    }
    expect(json.servers.map((s) => s.name)).toEqual(['fx', 'gh'])
    expect((await paddock('mcp', 'disable', 'fx')).stdout).toBe('MCP server "fx" disabled.\n')
    expect((await paddock('mcp', 'list')).stdout).toMatch(/^fx {2}disabled {2}0 tools/m)
    expect((await paddock('mcp', 'enable', 'fx')).status).toBe(0)
    expect((await paddock('mcp', 'remove', 'gh')).status).toBe(0)
    const gone = await paddock('mcp', 'remove', 'gh')
    expect(gone.status).toBe(1)
    expect(gone.stderr).toContain('No MCP server of yours is called gh')
  })

  it('refuses bad usage with exit 2 and changes nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['mcp', 'add'], /needs a server NAME/],
      [['mcp', 'add', 'x'], /needs --url URL or -- COMMAND/],
      [['mcp', 'add', 'x', '--env', 'NOEQUALS', '--', 'node'], /must read K=V/],
      [['mcp', 'add', 'x', '--url', 'http://a', '--header', 'novalue'], /must read "Name: value"/],
      [['mcp', 'add', 'x', '--header', 'A: b', '--', 'node'], /--header is for a remote server/],
      [['mcp', 'add', 'x', 'stray', '--', 'node'], /unexpected argument "stray"/],
      [['mcp', 'frobnicate'], /unknown command "mcp frobnicate"/],
    ]
    for (const [args, message] of cases) {
      const res = await paddock(...args)
      expect(res.status, args.join(' ')).toBe(2)
      expect(res.stderr, args.join(' ')).toMatch(message)
    }
    const list = await paddock('mcp', 'list', '--json')
    expect(JSON.parse(list.stdout)).toEqual({ servers: [] })
    const badName = await paddock('mcp', 'add', 'bad name', '--', 'node')
    expect(badName.status).toBe(1)
    expect(badName.stderr).toMatch(/letters, digits/)
  })

  it('leaves no server process behind when the paddock process exits', async () => {
    const pidFile = join(tmp.path, 'pids')
    await paddock(
      'mcp',
      'add',
      'fx',
      '--env',
      `MCP_FIXTURE_PID_FILE=${pidFile}`,
      '--',
      'node',
      FIXTURE_SERVER,
    )
    await paddock(
      'mcp',
      'add',
      'fy',
      '--env',
      `MCP_FIXTURE_PID_FILE=${pidFile}`,
      '--env',
      'MCP_FIXTURE_MODE=flood',
      '--',
      'node',
      FIXTURE_SERVER,
    )
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', CLI_MAIN, 'mcp', 'list', '--data-dir', dataDir],
        { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: tmp.path }, stdio: 'ignore' },
      )
      child.on('close', resolve)
    })
    expect(code).toBe(0)
    const pids = pidsIn(pidFile)
    expect(pids).toHaveLength(2)
    for (const pid of pids) expect(alive(pid), `server ${pid}`).toBe(false)
  })
})
