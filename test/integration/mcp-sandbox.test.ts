import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ToolResultPayload } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { FIXTURE_SERVER } from '../support/mcp'

/**
 * An MCP stdio server the user marks `sandboxed` runs inside the agent's sandbox (real
 * bubblewrap): it writes in its own folder, not elsewhere. The same server unmarked writes where
 * it likes, so the test is not vacuous.
 */
let a: AgentFixture | undefined
// Outside /tmp: the sandbox gives its processes a private /tmp.
const OUTSIDE = `/var/tmp/paddock-mcp-sandbox-${process.pid}.txt`
afterEach(async () => {
  await a?.close()
  a = undefined
  rmSync(OUTSIDE, { force: true })
})

async function withServer(sandboxed: boolean): Promise<AgentFixture> {
  const f = await agentFixture({ extra: { mcpBackoffMs: () => 10 } })
  await f.fx.call('settings.set', { key: 'sandbox.mode', value: 'workspace-write' })
  await f.fx.call('mcp.add', {
    transport: 'stdio',
    name: 'fx',
    command: process.execPath,
    args: [FIXTURE_SERVER],
    ...(sandboxed ? { sandboxed: true } : {}),
  })
  // Started before the run, so a slow start (a loaded machine) cannot leave it out of the run.
  const listed = await f.fx.call('mcp.list', { start: true })
  expect(listed.servers.find((s) => s.name === 'fx')?.state).toBe('ready')
  return f
}

function results(f: AgentFixture): Array<{ content: string; isError: boolean }> {
  return f.fx.engine.store
    .branch(f.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
}

const writes = (): Array<{ name: string; arguments: Record<string, unknown> }> => [
  { name: 'mcp__fx__write', arguments: { path: OUTSIDE, text: 'escaped' } },
  { name: 'mcp__fx__write', arguments: { path: 'inside.txt', text: 'kept' } },
]

describe.runIf(process.platform === 'linux')('an MCP server inside the sandbox', () => {
  it('writes in its own folder and not outside it; unmarked, the same server writes anywhere', async () => {
    a = await withServer(true)
    a.fake.script({ toolCalls: writes() }, { text: 'done' })
    expect(await a.run('Write the files', { mode: 'full-auto' })).toEqual({ reason: 'done' })
    const [outside, inside] = results(a)
    expect(outside).toMatchObject({ isError: true })
    expect(outside!.content).toMatch(/failed: (EROFS|EACCES|EPERM)/)
    expect(existsSync(OUTSIDE)).toBe(false)
    expect(inside).toMatchObject({ content: 'wrote', isError: false })
    const own = join(a.fx.dataDir, 'sandbox', 'mcp', 'mcp-fx', 'inside.txt')
    expect(readFileSync(own, 'utf8')).toBe('kept')
    await a.close()

    a = await withServer(false)
    a.fake.script({ toolCalls: writes().slice(0, 1) }, { text: 'done' })
    expect(await a.run('Write the file', { mode: 'full-auto' })).toEqual({ reason: 'done' })
    expect(results(a)[0]).toMatchObject({ content: 'wrote', isError: false })
    expect(readFileSync(OUTSIDE, 'utf8')).toBe('escaped')
  })
})
