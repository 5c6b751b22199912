import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'
import { EVERYTHING_SERVER } from '../support/mcp'
import { closedPort } from '../support/ports'

let fx: EngineFixture | undefined
let child: ChildProcess | undefined
afterEach(() => {
  fx?.cleanup()
  fx = undefined
  child?.kill()
  child = undefined
})

/** The registry's example server over HTTP on a loopback port, once it says it listens. */
async function everythingOverHttp(transport: 'streamableHttp' | 'sse'): Promise<number> {
  const port = await closedPort()
  child = spawn(process.execPath, [EVERYTHING_SERVER, transport], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const seen = (d: Buffer): void => {
      out += d.toString()
      if (/listening|running/i.test(out)) resolve()
    }
    child!.stdout!.on('data', seen)
    child!.stderr!.on('data', seen)
    child!.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)))
  })
  return port
}

describe('remote MCP servers', () => {
  it('connects over Streamable HTTP on loopback and lists the tools', async () => {
    const port = await everythingOverHttp('streamableHttp')
    fx = engineFixture('web')
    await fx.call('mcp.add', {
      transport: 'http',
      name: 'remote',
      url: `http://127.0.0.1:${port}/mcp`,
      headers: { 'X-Test': 'sent-from-secret-store' },
    })
    const list = await fx.call('mcp.list', { start: true })
    const remote = list.servers[0]!
    expect(remote).toMatchObject({ state: 'ready', transport: 'http' })
    expect(remote.tools.map((t) => t.exposedName)).toContain('mcp__remote__echo')
    expect(remote.logTail.join('\n')).not.toContain('SSE')
  })

  it('falls back to the older SSE transport for a server that has no Streamable HTTP', async () => {
    const port = await everythingOverHttp('sse')
    fx = engineFixture('web')
    await fx.call('mcp.add', {
      transport: 'http',
      name: 'old',
      url: `http://127.0.0.1:${port}/sse`,
    })
    const old = (await fx.call('mcp.list', { start: true })).servers[0]!
    expect(old.lastError ?? '').toBe('')
    expect(old.state).toBe('ready')
    expect(old.logTail.join('\n')).toContain('trying the older SSE transport')
    expect(old.tools.map((t) => t.name)).toContain('echo')
  })
})
