import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { McpBroker } from '../../src/main/mcp/broker'
import { FileSecretStore } from '../../src/main/secrets/file-secret-store'
import { openDatabase } from '../../src/main/sessions/database'
import { Settings } from '../../src/main/sessions/settings'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import type { AnyTool, ToolContext } from '../../src/main/tools/types'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'

const SERVER = join(REPO_ROOT, 'test', 'fixtures', 'mcp', 'oauth-server.mjs')

let child: ChildProcess | undefined
let tmp: ReturnType<typeof tempDir> | undefined
const brokers: McpBroker[] = []
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close()
  child?.kill()
  tmp?.cleanup()
})

/** The OAuth-protected fixture server on loopback; resolves with its address. */
async function startServer(): Promise<string> {
  child = spawn(process.execPath, [SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<string>((resolve, reject) => {
    let out = ''
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening (\d+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child!.once('exit', (code) => reject(new Error(`server exited (${code})`)))
  })
  return `http://127.0.0.1:${port}`
}

interface Stats {
  registrations: number
  codeExchanges: number
  refreshes: number
  calls: number
}

describe('an OAuth-protected remote server', () => {
  it('signs in through the consent page, keeps tokens in the SecretStore, refreshes once for concurrent calls', async () => {
    const base = await startServer()
    const stats = async (): Promise<Stats> => (await (await fetch(`${base}/stats`)).json()) as Stats
    tmp = tempDir()
    const dataDir = join(tmp.path, 'data')
    mkdirSync(dataDir)
    const logger = createMemoryLogger()
    const settings = new Settings(openDatabase(dataDir))
    settings.set('mcp.servers', [{ name: 'secure', transport: 'http', url: `${base}/mcp` }])
    const secrets = new FileSecretStore(dataDir, logger)
    let clock = Date.now()
    const consents: string[] = []
    const broker = (): McpBroker => {
      const b = new McpBroker({
        settings,
        secrets,
        logger,
        serverEnv: () => ({}),
        onChange: () => {},
        now: () => clock,
        // The user's browser: the page redirects to Paddock's loopback callback with a code.
        openAuthorization: (_server, url) => {
          consents.push(url.toString())
          void fetch(url)
        },
      })
      brokers.push(b)
      return b
    }
    const spill = join(tmp.path, 'spill')
    mkdirSync(spill)
    const ctx: ToolContext = {
      workspaceRoot: tmp.path,
      signal: new AbortController().signal,
      fs: createNodeFsOps(),
      spillDir: spill,
      env: {},
      ripgrepPath: null,
    }
    const whoami = async (b: McpBroker): Promise<AnyTool> => {
      const offer = await b.offer({ root: tmp!.path, trusted: false }, 100_000)
      const tool = offer.tools.find((t) => t.name === 'mcp__secure__whoami')
      if (!tool) throw new Error(`not offered: ${JSON.stringify(await b.list())}`)
      return tool
    }

    const first = broker()
    const tool = await whoami(first)
    expect(consents).toHaveLength(1)
    expect(consents[0]).toMatch(/\/authorize\?/)
    const answer = await tool.execute({} as never, ctx)
    expect(answer).toMatchObject({ isError: false })
    expect(answer.content).toMatch(/^client /)
    expect(await stats()).toMatchObject({ registrations: 1, codeExchanges: 1, refreshes: 0 })
    // Tokens rest only in the SecretStore.
    const stored = readFileSync(join(dataDir, 'secrets.json'), 'utf8')
    expect(stored).toContain('mcp-oauth:secure:tokens')
    const row = JSON.stringify(settings.get('mcp.servers'))
    expect(row).not.toMatch(/token/i)

    // An hour later the token is about to expire: two calls at once share one refresh.
    clock += 3600 * 1000
    const [a, b] = await Promise.all([
      tool.execute({} as never, ctx),
      tool.execute({} as never, ctx),
    ])
    expect(a.isError).toBe(false)
    expect(b.isError).toBe(false)
    expect(await stats()).toMatchObject({ codeExchanges: 1, refreshes: 1 })

    // A new host (a restart) uses the stored tokens: no new sign-in.
    await first.close()
    const second = broker()
    const again = await whoami(second)
    expect((await again.execute({} as never, ctx)).isError).toBe(false)
    expect(consents).toHaveLength(1)
    expect((await stats()).codeExchanges).toBe(1)

    // And when its token expires there, it is refreshed with the client registered before (same
    // callback port): no new registration, no new sign-in.
    clock += 3600 * 1000
    expect((await again.execute({} as never, ctx)).isError).toBe(false)
    expect(await stats()).toMatchObject({ registrations: 1, codeExchanges: 1, refreshes: 2 })
    expect(consents).toHaveLength(1)
    await second.close()
  })
})
