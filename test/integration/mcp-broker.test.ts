import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { McpList } from '../../src/shared/contract'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'
import { FIXTURE_SERVER, alive, pidsIn } from '../support/mcp'
import { waitUntil, waitUntilAsync } from '../support/wait'

let fx: EngineFixture | undefined
afterEach(() => {
  fx?.cleanup()
  fx = undefined
})

const fixture = (
  name: string,
  env: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  transport: 'stdio',
  name,
  command: process.execPath,
  args: [FIXTURE_SERVER],
  env,
  ...extra,
})

const server = (list: McpList, name: string): McpList['servers'][number] => {
  const found = list.servers.find((s) => s.name === name)
  if (!found) throw new Error(`no server ${name}`)
  return found
}

describe('MCP broker through the contract', () => {
  it('adds a stdio server, starts it on demand and lists its tools under mcp__<server>__<tool>', async () => {
    fx = engineFixture('web', { mcpBackoffMs: () => 10 })
    const added = await fx.call('mcp.add', fixture('fx'))
    expect(server(added, 'fx')).toMatchObject({ state: 'stopped', tools: [], source: 'user' })
    const list = await fx.call('mcp.list', { start: true })
    const fxs = server(list, 'fx')
    expect(fxs.state).toBe('ready')
    expect(fxs.tools.map((t) => t.exposedName)).toContain('mcp__fx__echo')
    expect(fxs.tools.find((t) => t.name === 'echo')).toMatchObject({
      readOnly: true,
      enabled: true,
    })
    expect(fxs.tools.find((t) => t.name === 'note')).toMatchObject({ readOnly: false })
    expect(fxs.logTail.join('\n')).toContain('fixture server starting in normal mode')
    await expect(fx.call('mcp.add', fixture('fx'))).rejects.toMatchObject({
      code: 'invalid_params',
    })
  })

  it('refuses a secret value the secret store cannot keep, storing nothing', async () => {
    fx = engineFixture('web', { mcpBackoffMs: () => 10 })
    // A token-like variable goes to the SecretStore, which keeps at most 16,384 characters.
    await expect(
      fx.call('mcp.add', fixture('fx', { API_TOKEN: 'x'.repeat(16_385) })),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('API_TOKEN'),
    })
    const list = await fx.call('mcp.list', {})
    expect(list.servers.map((s) => s.name)).not.toContain('fx')
  })

  it('toggles a tool and disables, enables and removes a server (removing stops its process)', async () => {
    fx = engineFixture('web', { mcpBackoffMs: () => 10 })
    const pidFile = join(fx.root, 'pids')
    await fx.call('mcp.add', fixture('fx', { MCP_FIXTURE_PID_FILE: pidFile }))
    await fx.call('mcp.list', { start: true })
    const [pid] = pidsIn(pidFile)
    expect(pid && alive(pid)).toBe(true)
    const off = await fx.call('mcp.setToolEnabled', { name: 'fx', tool: 'note', enabled: false })
    expect(server(off, 'fx').tools.find((t) => t.name === 'note')?.enabled).toBe(false)
    const stored = await fx.call('settings.get', {})
    expect(JSON.stringify(stored)).not.toContain('disabledTools')
    const disabled = await fx.call('mcp.setEnabled', { name: 'fx', enabled: false })
    expect(server(disabled, 'fx')).toMatchObject({ enabled: false, state: 'stopped' })
    await waitUntil(() => !alive(pid!), 20_000, 'the disabled server to stop')
    await fx.call('mcp.setEnabled', { name: 'fx', enabled: true })
    const again = await fx.call('mcp.list', { start: true })
    expect(server(again, 'fx').state).toBe('ready')
    expect(server(again, 'fx').tools.find((t) => t.name === 'note')?.enabled).toBe(false)
    const second = pidsIn(pidFile)[1]!
    const removed = await fx.call('mcp.remove', { name: 'fx' })
    expect(removed.servers).toEqual([])
    await waitUntil(() => !alive(second), 20_000, 'the removed server to stop')
    await expect(fx.call('mcp.remove', { name: 'fx' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('keeps a remote server’s header values in the SecretStore, never in the settings', async () => {
    fx = engineFixture('web')
    await fx.call('mcp.add', {
      transport: 'http',
      name: 'remote',
      url: 'http://127.0.0.1:9/mcp',
      headers: { Authorization: 'Bearer sekrit-header-value-123' },
    })
    const settingsRow = fx.engine.db
      .prepare("SELECT value FROM settings WHERE key = 'mcp.servers'")
      .get() as { value: string }
    expect(settingsRow.value).toContain('Authorization')
    expect(settingsRow.value).not.toContain('sekrit')
    const { readFileSync } = await import('node:fs')
    expect(readFileSync(join(fx.dataDir, 'secrets.json'), 'utf8')).toContain(
      'mcp-header:remote:authorization',
    )
    await fx.call('mcp.remove', { name: 'remote' })
    expect(readFileSync(join(fx.dataDir, 'secrets.json'), 'utf8')).not.toContain('mcp-header')
  })

  it('a server that never answers initialize fails its start within its timeout and says why', async () => {
    fx = engineFixture('web', { mcpBackoffMs: () => 60_000 })
    await fx.call(
      'mcp.add',
      fixture('slow', { MCP_FIXTURE_MODE: 'hang' }, { startupTimeoutMs: 1000 }),
    )
    await fx.call('mcp.list', { start: true })
    await waitUntilAsync(
      async () => server(await fx!.call('mcp.list', {}), 'slow').state === 'restarting',
      20_000,
      'the start to time out',
    )
    const slow = server(await fx.call('mcp.list', {}), 'slow')
    expect(slow.lastError).toMatch(/did not start within 1 s/)
    expect(slow.tools).toEqual([])
  })

  it('a server that keeps dying stays down after 5 failures, with the reason; restart tries again', async () => {
    fx = engineFixture('web', { mcpBackoffMs: () => 5 })
    await fx.call('mcp.add', {
      transport: 'stdio',
      name: 'dies',
      command: process.execPath,
      args: ['-e', 'process.stderr.write("no config found\\n"); process.exit(2)'],
    })
    await fx.call('mcp.list', { start: true })
    await waitUntilAsync(
      async () => server(await fx!.call('mcp.list', {}), 'dies').state === 'failed',
      20_000,
      'the server to stay down',
    )
    const down = server(await fx.call('mcp.list', {}), 'dies')
    expect(down.lastError).toMatch(/Stopped after 5 failures in 5 minutes/)
    expect(down.logTail.join('\n')).toContain('no config found')
    // Staying down: asking for tools does not start it again.
    const still = server(await fx.call('mcp.list', { start: true }), 'dies')
    expect(still.state).toBe('failed')
    const restarted = server(await fx.call('mcp.restart', { name: 'dies' }), 'dies')
    expect(['restarting', 'starting', 'failed']).toContain(restarted.state)
    expect(restarted.lastError).not.toMatch(/Stopped after 5/)
  })

  it('a server flooding stderr ends ready with a bounded log tail', async () => {
    fx = engineFixture('web')
    await fx.call('mcp.add', fixture('noisy', { MCP_FIXTURE_MODE: 'flood' }))
    const noisy = server(await fx.call('mcp.list', { start: true }), 'noisy')
    expect(noisy.state).toBe('ready')
    expect(noisy.logTail.length).toBeLessThanOrEqual(50)
    expect(noisy.logTail.length).toBeGreaterThan(10)
    for (const line of noisy.logTail) expect(line.length).toBeLessThanOrEqual(1010)
    // The host log got a bounded number of its lines, the rest counted.
    const logged = fx.logger.lines.filter((l) => l.includes('mcp server noisy')).length
    expect(logged).toBeLessThan(200)
  })

  it('stops every stdio server when the host closes: no orphan process', async () => {
    fx = engineFixture('web')
    const pidFile = join(fx.root, 'pids')
    // Servers that outlive their stdin: only Paddock's signal ends them.
    const stay = { MCP_FIXTURE_PID_FILE: pidFile, MCP_FIXTURE_STAY: '1' }
    await fx.call('mcp.add', fixture('a', stay))
    await fx.call('mcp.add', fixture('b', stay))
    await fx.call('mcp.list', { start: true })
    const pids = pidsIn(pidFile)
    expect(pids).toHaveLength(2)
    for (const pid of pids) expect(alive(pid)).toBe(true)
    await fx.engine.drain()
    for (const pid of pids) expect(alive(pid)).toBe(false)
  })
})
