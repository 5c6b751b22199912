import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURE_SERVER, alive, pidsIn } from '../support/mcp'
import { connectClient } from '../support/node-client'
import { tempDir } from '../support/temp'
import { startWebHost } from '../support/web-host'

describe('MCP servers and the host process', () => {
  it('a web host stopped with SIGTERM leaves none of its stdio servers running', async () => {
    const tmp = tempDir()
    const pidFile = join(tmp.path, 'pids')
    const host = await startWebHost({ dataDir: join(tmp.path, 'data') })
    const client = connectClient(host)
    try {
      for (const name of ['one', 'two']) {
        await client.call('mcp.add', {
          transport: 'stdio',
          name,
          command: process.execPath,
          args: [FIXTURE_SERVER],
          env: { MCP_FIXTURE_PID_FILE: pidFile, MCP_FIXTURE_STAY: '1' },
        })
      }
      const list = await client.call('mcp.list', { start: true })
      expect(list.servers.map((s) => s.state)).toEqual(['ready', 'ready'])
      const pids = pidsIn(pidFile)
      expect(pids).toHaveLength(2)
      for (const pid of pids) expect(alive(pid)).toBe(true)
      client.close()
      expect(await host.stop()).not.toBeNull()
      for (const pid of pids) expect(alive(pid), `server ${pid}`).toBe(false)
    } finally {
      client.close()
      await host.stop()
      tmp.cleanup()
    }
  })
})
