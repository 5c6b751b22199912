import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_REQUEST_BYTES } from '../../src/shared/contract'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { connectClient } from '../support/node-client'
import { tempDir } from '../support/temp'
import { startWebHost } from '../support/web-host'

/**
 * `sessions.attachText`: text too long for a prompt is written into the session's workspace, under
 * `.paddock/attachments/`, so a short prompt can mention it. Through the contract (the dispatcher
 * included), with real files and real checkpoints.
 */

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

/** The `{code, message}` a call failed with. */
async function failure(
  method: string,
  params: unknown,
): Promise<{ code: string; message: string }> {
  const outcome = await a.fx.engine.call(method, params, { transport: 'test' })
  if (outcome.ok) throw new Error(`${method} succeeded`)
  return outcome.error
}

describe('sessions.attachText', () => {
  it('writes the text to a new file under .paddock/attachments, appends chunks, and ignores it', async () => {
    a = await agentFixture()
    await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    const first = await a.fx.call('sessions.attachText', {
      sessionId: a.sessionId,
      text: 'Part one, é.\n',
    })
    expect(first.path).toMatch(/^\.paddock\/attachments\/[\w.-]+\.md$/)
    expect(first.bytes).toBe(Buffer.byteLength('Part one, é.\n'))
    const second = await a.fx.call('sessions.attachText', {
      sessionId: a.sessionId,
      text: 'Part two.\n',
      to: first.path,
    })
    expect(second.path).toBe(first.path)
    expect(readFileSync(join(a.workspace, first.path), 'utf8')).toBe('Part one, é.\nPart two.\n')
    expect(second.bytes).toBe(Buffer.byteLength('Part one, é.\nPart two.\n'))

    // Another attachment gets its own file.
    const other = await a.fx.call('sessions.attachText', { sessionId: a.sessionId, text: 'x' })
    expect(other.path).not.toBe(first.path)

    // Not a change of the project: checkpoints and git skip the folder (it ignores itself).
    const ignore = readFileSync(join(a.workspace, '.paddock/attachments/.gitignore'), 'utf8')
    expect(ignore.split('\n')).toContain('*')
    a.write('src/real-change.ts', 'export {}\n')
    const cp = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(cp.files.map((f) => f.path)).toEqual(['src/real-change.ts'])
  })

  it('refuses bad input plainly and writes nothing', async () => {
    a = await agentFixture()
    const { sessionId } = a
    const attachments = join(a.workspace, '.paddock/attachments')

    expect(await failure('sessions.attachText', { sessionId, text: '' })).toMatchObject({
      code: 'invalid_params',
    })
    expect(
      await failure('sessions.attachText', { sessionId, text: 'x', sneaky: true }),
    ).toMatchObject({ code: 'invalid_params' })
    const tooLong = await failure('sessions.attachText', { sessionId, text: 'x'.repeat(40_001) })
    expect(tooLong.code).toBe('invalid_params')
    expect(tooLong.message).toContain('40,000 characters')
    expect(await failure('sessions.attachText', { sessionId: 'nope', text: 'x' })).toMatchObject({
      code: 'not_found',
    })

    // Appending only ever goes to an attachment: no other path, no way out of the folder.
    for (const to of [
      'README.md',
      '.paddock/attachments/../../README.md',
      '../outside.md',
      '/etc/passwd',
      '.paddock/attachments/x/../../permissions.json',
    ]) {
      expect(await failure('sessions.attachText', { sessionId, text: 'x', to })).toMatchObject({
        code: 'invalid_params',
      })
    }
    expect(
      await failure('sessions.attachText', {
        sessionId,
        text: 'x',
        to: '.paddock/attachments/20260101-000000-abcdef.md',
      }),
    ).toMatchObject({ code: 'not_found' })
    expect(existsSync(attachments)).toBe(false)
  })

  it('never writes outside the workspace through a symbolic link', async () => {
    a = await agentFixture()
    const elsewhere = tempDir('paddock-elsewhere-')
    try {
      symlinkSync(elsewhere.path, join(a.workspace, '.paddock'))
      const refused = await failure('sessions.attachText', { sessionId: a.sessionId, text: 'x' })
      expect(refused.code).toBe('invalid_params')
      expect(refused.message).toContain('outside the workspace')
      expect(readdirSync(elsewhere.path)).toEqual([])

      // The same for a link at the attachments folder itself.
      const inside = tempDir('paddock-elsewhere-')
      try {
        const ws2 = join(a.fx.home, 'project2')
        mkdirSync(join(ws2, '.paddock'), { recursive: true })
        symlinkSync(inside.path, join(ws2, '.paddock', 'attachments'))
        const w = await a.fx.call('workspaces.open', { path: ws2 })
        const s = await a.fx.call('sessions.create', { workspaceId: w.id })
        const again = await failure('sessions.attachText', { sessionId: s.id, text: 'x' })
        expect(again.code).toBe('invalid_params')
        expect(readdirSync(inside.path)).toEqual([])
      } finally {
        inside.cleanup()
      }
    } finally {
      elsewhere.cleanup()
    }
  })
})

describe('prompts that are too big', () => {
  it('say so in plain words, with what to do', async () => {
    a = await agentFixture()
    const long = await failure('sessions.prompt', {
      sessionId: a.sessionId,
      text: 'x'.repeat(210_000),
    })
    expect(long.code).toBe('invalid_params')
    expect(long.message).toContain('longer than 200,000 characters')
    expect(long.message).toContain('file')
    expect(long.message).not.toContain('Too big')

    const huge = await failure('sessions.prompt', {
      sessionId: a.sessionId,
      text: 'x'.repeat(MAX_REQUEST_BYTES + 1000),
    })
    expect(huge.code).toBe('payload_too_large')
    expect(huge.message).toMatch(/too large to send \(258 KB; the limit is 256 KB\)/)
    expect(huge.message).toContain('file')
    expect(huge.message).not.toMatch(/\d{6} bytes/)
  })
})

describe('a client that sends too much', () => {
  it('hears why in plain words, and its connection to the web host stays up', async () => {
    const tmp = tempDir()
    const host = await startWebHost({ dataDir: join(tmp.path, 'data') })
    const client = connectClient(host)
    try {
      const workspace = join(tmp.path, 'project')
      mkdirSync(workspace)
      const ws = await client.call('workspaces.open', { path: workspace })
      const session = await client.call('sessions.create', { workspaceId: ws.id })
      const statuses: string[] = []
      const unsubscribe = client.onStatus((s) => statuses.push(s))
      // Past what a WebSocket frame may carry (8 × the request limit): never sent at all.
      const sent = client.call('sessions.prompt', {
        sessionId: session.id,
        text: 'x'.repeat(3 * 1024 * 1024),
      })
      await expect(sent).rejects.toMatchObject({
        code: 'payload_too_large',
        message: expect.stringMatching(/too large to send \(3\.0 MB; the limit is 256 KB\)/),
      })
      // Still connected: the next call is answered.
      await expect(client.call('sessions.list', {})).resolves.toHaveLength(1)
      unsubscribe()
      expect(statuses).toEqual(['open'])
    } finally {
      client.close()
      await host.stop()
      tmp.cleanup()
    }
  })
})
