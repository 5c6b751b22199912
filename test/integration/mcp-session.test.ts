import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ApprovalRequestPayload, ToolResultPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { EVERYTHING_SERVER, FIXTURE_SERVER, alive, pidsIn } from '../support/mcp'
import { waitUntil, waitUntilAsync } from '../support/wait'

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

const PROVIDER_KEY = 'sk-provider-secret-0123456789'

async function withFixture(env: Record<string, string> = {}): Promise<AgentFixture> {
  const fixture = await agentFixture({
    extra: {
      mcpBackoffMs: () => 10,
      env: {
        ...process.env,
        OPENAI_API_KEY: PROVIDER_KEY,
        COPY_OF_KEY: PROVIDER_KEY,
        GITHUB_TOKEN: 'ghp_user-token-for-github',
        ...env,
      },
    },
  })
  await fixture.fx.call('mcp.add', {
    transport: 'stdio',
    name: 'fx',
    command: process.execPath,
    args: [FIXTURE_SERVER],
    env: { FROM_CONFIG: 'configured', API_TOKEN: 'configured-secret-token-1' },
  })
  return fixture
}

function results(f: AgentFixture): Array<ReturnType<typeof ToolResultPayload.parse>> {
  return f.fx.engine.store
    .branch(f.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
}

const offered = (f: AgentFixture, n: number): string[] =>
  (f.fake.chatRequests()[n]?.tools ?? []).map((t) =>
    'function' in t ? t.function.name : String(t),
  )

describe('MCP tools in a session, through the fake LLM', () => {
  it('offers the server’s tools with their schemas and runs a call end to end', async () => {
    a = await withFixture()
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__echo', arguments: { text: 'hello' } }] },
      { text: 'done' },
    )
    expect(await a.run('Echo hello')).toEqual({ reason: 'done' })
    expect(offered(a, 0)).toContain('mcp__fx__echo')
    expect(offered(a, 0)).toContain('read')
    const echo = a.fake
      .chatRequests()[0]!
      .tools!.find((t) => 'function' in t && t.function.name === 'mcp__fx__echo')
    expect(JSON.stringify(echo)).toContain('"required":["text"]')
    expect(results(a)[0]).toMatchObject({ content: 'echo: hello', isError: false })
  })

  it('gives a server the user’s tokens and its configured env, never the provider key', async () => {
    a = await withFixture()
    a.fake.script(
      {
        toolCalls: [
          { name: 'mcp__fx__env', arguments: { name: 'OPENAI_API_KEY' } },
          { name: 'mcp__fx__env', arguments: { name: 'COPY_OF_KEY' } },
          { name: 'mcp__fx__env', arguments: { name: 'GITHUB_TOKEN' } },
          { name: 'mcp__fx__env', arguments: { name: 'FROM_CONFIG' } },
          { name: 'mcp__fx__env', arguments: { name: 'API_TOKEN' } },
        ],
      },
      { text: 'done' },
    )
    await a.run('Env')
    expect(results(a).map((r) => r.content)).toEqual([
      '(unset)',
      '(unset)',
      'ghp_user-token-for-github',
      'configured',
      // The server got its configured token; the value rests in the SecretStore, so the session
      // log keeps it redacted like every stored key.
      '[REDACTED]',
    ])
    // A value set for it under a credential's name rests in the SecretStore, not the settings.
    const row = a.fx.engine.db
      .prepare("SELECT value FROM settings WHERE key = 'mcp.servers'")
      .get() as { value: string }
    expect(row.value).toContain('"secretEnv":["API_TOKEN"]')
    expect(row.value).not.toContain('configured-secret-token-1')
    expect(readFileSync(join(a.fx.dataDir, 'secrets.json'), 'utf8')).toContain(
      'mcp-env:fx:API_TOKEN',
    )
  })

  it('turns isError, images and resource links into what the model reads', async () => {
    a = await withFixture()
    a.fake.script(
      {
        toolCalls: [
          { name: 'mcp__fx__fail', arguments: {} },
          { name: 'mcp__fx__image', arguments: {} },
          { name: 'mcp__fx__link', arguments: {} },
        ],
      },
      { text: 'done' },
    )
    await a.run('Try')
    const [fail, image, link] = results(a)
    expect(fail).toMatchObject({ isError: true, content: 'it went wrong on purpose' })
    expect(image!.content).toMatch(
      /here is a pixel\n\[image: image\/png, \d+ B, saved to .*\.png\]/,
    )
    const saved = /saved to (.*\.png)\]/.exec(image!.content)![1]!
    expect(existsSync(saved)).toBe(true)
    expect(image!.details).toMatchObject({
      images: [{ mimeType: 'image/png', data: expect.stringMatching(/^iVBOR/) }],
    })
    // What the model was sent for it: the description, never the image data (the catalog does not
    // know this model, so it takes no images; see mcp-images.test.ts for one that does).
    const sent = JSON.stringify(a.fake.chatRequests()[1]!.messages)
    expect(sent).toContain('[image: image/png')
    expect(sent).not.toContain('iVBOR')
    expect(link!.content).toBe('[resource link: readme <file:///tmp/readme.md> — the readme]')
  })

  it('asks in ask mode; plan mode runs read-only tools only; a rule on mcp__fx__* decides', async () => {
    a = await withFixture()
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__note', arguments: { text: 'x' } }] },
      { text: 'asked' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Note', mode: 'ask' })
    const asked = (await a.waitFor(
      (e) =>
        e.type === 'entry.appended' &&
        e.entry.type === 'approval' &&
        (e.entry.payload as { kind?: string }).kind === 'request',
    )) as Extract<PaddockEvent, { type: 'entry.appended' }>
    const request = ApprovalRequestPayload.parse(asked.entry.payload)
    expect(request).toMatchObject({ tool: 'mcp__fx__note', arguments: { text: 'x' } })
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: request.approvalId,
      answer: 'allow_once',
    })
    await ended
    expect(results(a)[0]).toMatchObject({ content: 'noted: x', isError: false })

    a.fake.script(
      {
        toolCalls: [
          { name: 'mcp__fx__echo', arguments: { text: 'p' } },
          { name: 'mcp__fx__note', arguments: { text: 'p' } },
        ],
      },
      { text: 'planned' },
    )
    await a.run('Plan', { mode: 'plan' })
    const [, echo, note] = results(a)
    expect(echo).toMatchObject({ content: 'echo: p', isError: false })
    expect(note!.content).toMatch(
      /^Refused: plan mode refuses it: its MCP server does not mark it read-only/,
    )

    await a.fx.call('settings.set', {
      key: 'permissions.rules',
      value: [{ tool: 'mcp__fx__*', pattern: '*', action: 'deny' }],
    })
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__echo', arguments: { text: 'd' } }] },
      { text: 'x' },
    )
    await a.run('Denied', { mode: 'full-auto' })
    expect(results(a)[3]!.content).toMatch(/^Refused: user rule deny mcp__fx__\*/)
  })

  it('a server that crashes mid-call gives an error result, restarts, and the session goes on', async () => {
    a = await withFixture()
    const pidFile = join(a.fx.root, 'pids')
    await a.fx.call('mcp.remove', { name: 'fx' })
    await a.fx.call('mcp.add', {
      transport: 'stdio',
      name: 'fx',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      env: { MCP_FIXTURE_PID_FILE: pidFile },
    })
    a.fake.script({ toolCalls: [{ name: 'mcp__fx__crash', arguments: {} }] }, { text: 'crashed' })
    expect(await a.run('Crash')).toEqual({ reason: 'done' })
    expect(results(a)[0]).toMatchObject({ isError: true })
    expect(results(a)[0]!.content).toMatch(/^The tool failed: .*(closed|Connection)/i)
    await waitUntilAsync(
      async () => {
        const list = await a!.fx.call('mcp.list', {})
        return list.servers[0]?.state === 'ready'
      },
      20_000,
      'the server to be restarted',
    )
    expect(pidsIn(pidFile)).toHaveLength(2)
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__echo', arguments: { text: 'back' } }] },
      { text: 'ok' },
    )
    expect(await a.run('Again')).toEqual({ reason: 'done' })
    expect(results(a)[1]).toMatchObject({ content: 'echo: back', isError: false })
  })

  it('cuts a 5 MB result to the output budget and keeps the whole in the spill folder', async () => {
    a = await withFixture()
    a.fake.script({ toolCalls: [{ name: 'mcp__fx__big', arguments: {} }] }, { text: 'big' })
    expect(await a.run('Big')).toEqual({ reason: 'done' })
    const big = results(a)[0]!
    expect(big.isError).toBe(false)
    expect(big.content.length).toBeLessThan(200_000)
    expect(big.content).toMatch(/spill/)
  })

  it('a server whose start times out is left out of the run, which still works', async () => {
    a = await withFixture()
    await a.fx.call('mcp.add', {
      transport: 'stdio',
      name: 'hang',
      command: process.execPath,
      args: [FIXTURE_SERVER],
      env: { MCP_FIXTURE_MODE: 'hang' },
      startupTimeoutMs: 1000,
    })
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__echo', arguments: { text: 'ok' } }] },
      { text: 'fine' },
    )
    expect(await a.run('Go')).toEqual({ reason: 'done' })
    expect(offered(a, 0)).toContain('mcp__fx__echo')
    expect(offered(a, 0).some((n) => n.startsWith('mcp__hang__'))).toBe(false)
    expect(results(a)[0]).toMatchObject({ content: 'echo: ok' })
  })

  it('a tool-list change is offered from the next run, never within the run that saw it', async () => {
    a = await withFixture()
    a.fake.script(
      { toolCalls: [{ name: 'mcp__fx__grow', arguments: {} }] },
      { text: 'grew' },
      { toolCalls: [{ name: 'mcp__fx__grown', arguments: {} }] },
      { text: 'used it' },
    )
    await a.run('Grow')
    expect(offered(a, 0)).not.toContain('mcp__fx__grown')
    expect(offered(a, 1)).toEqual(offered(a, 0))
    await waitUntilAsync(
      async () =>
        (await a!.fx.call('mcp.list', {})).servers[0]!.tools.some((t) => t.name === 'grown'),
      20_000,
      'the changed list',
    )
    await a.run('Use it')
    expect(offered(a, 2)).toContain('mcp__fx__grown')
    expect(results(a)[1]).toMatchObject({ content: 'I was added later' })
  })

  it('an untrusted workspace’s .mcp.json starts nothing and says why; once trusted, its server runs', async () => {
    a = await agentFixture({ extra: { mcpBackoffMs: () => 10 } })
    const pidFile = join(a.fx.root, 'ws-pids')
    writeFileSync(
      join(a.workspace, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          proj: {
            command: process.execPath,
            args: [FIXTURE_SERVER],
            env: { MCP_FIXTURE_PID_FILE: pidFile },
          },
        },
      }),
    )
    a.fake.script(
      { text: 'nothing' },
      { toolCalls: [{ name: 'mcp__proj__echo', arguments: { text: 't' } }] },
      { text: 'ok' },
    )
    await a.run('Untrusted')
    expect(offered(a, 0).some((n) => n.startsWith('mcp__'))).toBe(false)
    expect(pidsIn(pidFile)).toEqual([])
    const listed = await a.fx.call('mcp.list', { workspaceId: a.workspaceId, start: true })
    expect(listed.servers).toEqual([])
    expect(listed.ignored?.reason).toMatch(/ignored until you trust this workspace/)
    expect(pidsIn(pidFile)).toEqual([])
    await a.fx.call('workspaces.trust', { workspaceId: a.workspaceId, trusted: true })
    await a.run('Trusted')
    expect(results(a)[0]).toMatchObject({ content: 'echo: t' })
    expect(pidsIn(pidFile)).toHaveLength(1)
    // Untrusted again: the next run stops its server and offers none of its tools.
    await a.fx.call('workspaces.trust', { workspaceId: a.workspaceId, trusted: false })
    a.fake.script({ text: 'alone' })
    await a.run('Untrusted again')
    expect(offered(a, 3).some((n) => n.startsWith('mcp__'))).toBe(false)
    await waitUntil(() => !alive(pidsIn(pidFile)[0]!), 20_000, 'the workspace server to stop')
  })

  it('runs the registry’s example server: its tools, image and environment', async () => {
    a = await agentFixture({
      extra: { env: { ...process.env, OPENAI_API_KEY: PROVIDER_KEY, GH_TOKEN: 'gh-user-token-1' } },
    })
    await a.fx.call('mcp.add', {
      transport: 'stdio',
      name: 'everything',
      command: process.execPath,
      args: [EVERYTHING_SERVER, 'stdio'],
    })
    a.fake.script(
      {
        toolCalls: [
          { name: 'mcp__everything__echo', arguments: { message: 'hi' } },
          { name: 'mcp__everything__get-tiny-image', arguments: {} },
          { name: 'mcp__everything__get-env', arguments: {} },
          { name: 'mcp__everything__get-sum', arguments: { a: 'x', b: 2 } },
        ],
      },
      { text: 'done' },
    )
    expect(await a.run('Everything')).toEqual({ reason: 'done' })
    const [echo, image, env, sum] = results(a)
    expect(echo!.content).toContain('hi')
    expect(image!.content).toMatch(/\[image: image\/png/)
    expect(env!.content).toContain('gh-user-token-1')
    expect(env!.content).not.toContain(PROVIDER_KEY)
    // Invalid arguments are refused by the server's own schema before anything is sent.
    expect(sum!.isError).toBe(true)
  })
})
