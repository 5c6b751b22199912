import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { McpBroker } from '../../src/main/mcp/broker'
import { MCP_CALL, MCP_SEARCH } from '../../src/main/mcp/search-tools'
import { MAX_TOOL_NAME_CHARS, exposedToolName } from '../../src/main/mcp/tools'
import { decide } from '../../src/main/policy/decide'
import type { Rule } from '../../src/main/policy/rules'
import { FileSecretStore } from '../../src/main/secrets/file-secret-store'
import { openDatabase } from '../../src/main/sessions/database'
import { Settings } from '../../src/main/sessions/settings'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import type { AnyTool, ToolContext } from '../../src/main/tools/types'
import { EVERYTHING_SERVER, FIXTURE_SERVER } from '../support/mcp'
import { tempDir } from '../support/temp'

describe('MCP tool names', () => {
  it('are mcp__<server>__<tool>, sanitised, at most 64 characters, and stay distinct', () => {
    expect(exposedToolName('github', 'create_issue')).toBe('mcp__github__create_issue')
    expect(exposedToolName('my-srv', 'get.thing/now')).toBe('mcp__my-srv__get_thing_now')
    const long1 = exposedToolName('server', `${'a'.repeat(80)}1`)
    const long2 = exposedToolName('server', `${'a'.repeat(80)}2`)
    expect(long1.length).toBe(MAX_TOOL_NAME_CHARS)
    expect(long2.length).toBe(MAX_TOOL_NAME_CHARS)
    expect(long1).not.toBe(long2)
    expect(long1).toMatch(/^mcp__server__a+_[0-9a-f]{8}$/)
  })
})

describe('MCP policy', () => {
  const ctx = (mode: 'ask' | 'auto-edit' | 'full-auto' | 'plan', rules: Rule[] = []) => ({
    mode,
    rules,
    workspaceRoot: '/w',
    home: '/h',
    dataDir: '/d',
    readOnlyTool: (t: string) => t === 'mcp__gh__list',
  })
  it('asks in ask and auto-edit, runs in full-auto, and in plan mode only read-only tools', () => {
    expect(decide('mcp__gh__create', {}, ctx('ask')).action).toBe('ask')
    expect(decide('mcp__gh__create', {}, ctx('auto-edit')).action).toBe('ask')
    expect(decide('mcp__gh__create', { path: '.git/x' }, ctx('full-auto')).action).toBe('allow')
    expect(decide('mcp__gh__create', {}, ctx('plan')).action).toBe('deny')
    expect(decide('mcp__gh__list', {}, ctx('plan')).action).toBe('allow')
    // Through mcp_call, the tool it names is judged.
    expect(decide(MCP_CALL, { name: 'mcp__gh__list' }, ctx('plan')).action).toBe('allow')
    expect(decide(MCP_CALL, { name: 'mcp__gh__create' }, ctx('plan')).action).toBe('deny')
    expect(decide(MCP_SEARCH, { query: 'x' }, ctx('plan')).action).toBe('allow')
  })
  it('takes rules by glob over tool names, last match wins', () => {
    const rules: Rule[] = [
      { tool: 'mcp__gh__*', pattern: '*', action: 'allow', source: 'user' },
      { tool: 'mcp__gh__delete_repo', pattern: '*', action: 'deny', source: 'user' },
    ]
    expect(decide('mcp__gh__create', {}, ctx('ask', rules)).action).toBe('allow')
    expect(decide('mcp__gh__delete_repo', {}, ctx('ask', rules)).action).toBe('deny')
    expect(decide('mcp__other__x', {}, ctx('ask', rules)).action).toBe('ask')
    expect(decide(MCP_CALL, { name: 'mcp__gh__delete_repo' }, ctx('full-auto', rules)).action).toBe(
      'deny',
    )
    // A path rule is about files, not MCP tools.
    const pathRule: Rule[] = [{ tool: '*', pattern: 'src/**', action: 'allow', source: 'user' }]
    expect(decide('mcp__gh__create', { path: 'src/a' }, ctx('ask', pathRule)).action).toBe('ask')
  })
})

describe('schema budget', () => {
  let tmp: ReturnType<typeof tempDir> | undefined
  let broker: McpBroker | undefined
  afterEach(async () => {
    await broker?.close()
    tmp?.cleanup()
  })

  function setup(servers: unknown[]): { broker: McpBroker; ctx: ToolContext } {
    tmp = tempDir()
    const dataDir = join(tmp.path, 'data')
    mkdirSync(dataDir)
    const logger = createMemoryLogger()
    const settings = new Settings(openDatabase(dataDir))
    settings.set('mcp.servers', servers)
    broker = new McpBroker({
      settings,
      secrets: new FileSecretStore(dataDir, logger),
      logger,
      serverEnv: () => ({ PATH: process.env.PATH ?? '' }),
      onChange: () => {},
    })
    const spillDir = join(tmp.path, 'spill')
    mkdirSync(spillDir)
    const ctx: ToolContext = {
      workspaceRoot: tmp.path,
      signal: new AbortController().signal,
      fs: createNodeFsOps(),
      spillDir,
      env: {},
      ripgrepPath: null,
    }
    return { broker, ctx }
  }

  const servers = [
    {
      name: 'fx',
      transport: 'stdio',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      pinned: true,
    },
    {
      name: 'ev',
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING_SERVER, 'stdio'],
    },
  ]
  const names = (tools: AnyTool[]): string[] => tools.map((t) => t.name)

  it('lists every schema while they fit in a tenth of the window', async () => {
    const { broker } = setup(servers)
    const offer = await broker.offer({ root: tmp!.path, trusted: false }, 1_000_000)
    expect(names(offer.tools)).toContain('mcp__ev__echo')
    expect(names(offer.tools)).toContain('mcp__fx__echo')
    expect(names(offer.tools)).not.toContain(MCP_SEARCH)
  })

  it('over the share: pinned servers listed, the rest behind mcp_search / mcp_call', async () => {
    const { broker, ctx } = setup(servers)
    const offer = await broker.offer({ root: tmp!.path, trusted: false }, 8_000)
    const offered = names(offer.tools)
    expect(offered).toContain('mcp__fx__echo')
    expect(offered).toContain(MCP_SEARCH)
    expect(offered).toContain(MCP_CALL)
    expect(offered.some((n) => n.startsWith('mcp__ev__'))).toBe(false)
    expect(offer.readOnly.has('mcp__ev__get-env')).toBe(true)
    const search = offer.tools.find((t) => t.name === MCP_SEARCH)!
    const found = await search.execute({ query: 'echo' } as never, ctx)
    expect(found.content).toContain('mcp__ev__echo')
    expect(found.content).toContain('"message"')
    const call = offer.tools.find((t) => t.name === MCP_CALL)!
    const echoed = await call.execute(
      { name: 'mcp__ev__echo', arguments: { message: 'via call' } } as never,
      ctx,
    )
    expect(echoed).toMatchObject({ isError: false })
    expect(echoed.content).toContain('via call')
    const invalid = await call.execute(
      { name: 'mcp__ev__echo', arguments: { message: 3 } } as never,
      ctx,
    )
    expect(invalid.isError).toBe(true)
    expect(invalid.content).toMatch(/^Invalid arguments for mcp__ev__echo: message/)
    const unknown = await call.execute({ name: 'mcp__ev__nope', arguments: {} } as never, ctx)
    expect(unknown).toMatchObject({ isError: true })
  })
})
