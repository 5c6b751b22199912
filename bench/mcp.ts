import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { createMemoryLogger } from '../src/main/core/logger'
import { McpBroker } from '../src/main/mcp/broker'
import { FileSecretStore } from '../src/main/secrets/file-secret-store'
import { openDatabase } from '../src/main/sessions/database'
import { Settings } from '../src/main/sessions/settings'
import { createNodeFsOps } from '../src/main/tools/node-fs-ops'
import type { ToolContext } from '../src/main/tools/types'
import type { BenchLine } from './run'

/** Budget: a call through the broker takes at most this many times a direct SDK call. */
const BUDGET_RATIO = 1.5
/** Calls timed on each side (after a warm-up). */
const CALLS = 1000
const SERVER = join(import.meta.dirname, '..', 'test', 'fixtures', 'mcp', 'test-server.mjs')

/**
 * The round trip of one MCP tool call through the broker (the tool the agent is offered, its
 * argument validation and result conversion) against calling the same stdio server with the SDK
 * directly: the fixture server's `echo`, each side its own server process.
 */
export async function mcpBench(): Promise<BenchLine[]> {
  const root = mkdtempSync(join(tmpdir(), 'paddock-bench-mcp-'))
  const logger = createMemoryLogger()
  const settings = new Settings(openDatabase(join(root, 'data')))
  settings.set('mcp.servers', [
    { name: 'fx', transport: 'stdio', command: process.execPath, args: [SERVER] },
  ])
  const broker = new McpBroker({
    settings,
    secrets: new FileSecretStore(join(root, 'data'), logger),
    logger,
    serverEnv: () => ({ PATH: process.env.PATH ?? '' }),
    onChange: () => {},
  })
  const direct = new Client({ name: 'bench', version: '1' })
  await direct.connect(
    new StdioClientTransport({ command: process.execPath, args: [SERVER], stderr: 'ignore' }),
  )
  // As any client does before calling: it lists the tools (the SDK keeps their metadata).
  await direct.listTools()
  try {
    const offer = await broker.offer({ root, trusted: false }, 200_000)
    const echo = offer.tools.find((t) => t.name === 'mcp__fx__echo')
    if (!echo) throw new Error('the fixture server did not start')
    mkdirSync(join(root, 'spill'))
    const ctx: ToolContext = {
      workspaceRoot: root,
      signal: new AbortController().signal,
      fs: createNodeFsOps(),
      spillDir: join(root, 'spill'),
      env: {},
      ripgrepPath: null,
    }
    const viaBroker = async (): Promise<void> => {
      const input = echo.schema.parse({ text: 'ping' })
      const r = await echo.execute(input as never, ctx)
      if (r.content !== 'echo: ping') throw new Error(r.content)
    }
    const viaSdk = async (): Promise<void> => {
      await direct.callTool({ name: 'echo', arguments: { text: 'ping' } })
    }
    const time = async (fn: () => Promise<void>): Promise<number> => {
      const start = performance.now()
      await fn()
      return performance.now() - start
    }
    for (let i = 0; i < 100; i++) {
      await viaBroker()
      await viaSdk()
    }
    // Call by call, alternating, so a burst of load elsewhere falls on both sides alike; the
    // medians are compared.
    const ours: number[] = []
    const peer: number[] = []
    for (let i = 0; i < CALLS; i++) {
      ours.push(await time(viaBroker))
      peer.push(await time(viaSdk))
    }
    const perOurs = median(ours)
    const perPeer = median(peer)
    return [
      {
        name: 'mcp tool call round trip (broker)',
        ours: perOurs,
        unit: 'ms',
        peer: { name: 'SDK client direct', value: perPeer },
      },
      {
        name: 'mcp broker / direct SDK ratio',
        ours: perOurs / perPeer,
        unit: '×',
        budget: BUDGET_RATIO,
      },
    ]
  } finally {
    await direct.close()
    await broker.close()
    rmSync(root, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
