import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import type { Engine } from '../../src/main/host/engine'
import { createEngine } from '../../src/main/host/engine'
import { REPO_ROOT } from '../support/paths'
import { spawnTs, waitForLine } from '../support/spawn'
import { tempDir } from '../support/temp'

const HOLDER = join(REPO_ROOT, 'test', 'support', 'lease-holder.ts')
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let engine: Engine
let sessionId: string

beforeAll(() => {
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
  mkdirSync(join(tmp.path, 'p'))
  engine = createEngine({ dataDir, kind: 'cli', logger: createMemoryLogger() })
  const ws = engine.store.openWorkspace(join(tmp.path, 'p'), 'p')
  sessionId = engine.store.createSession(ws.id, 'Busy session').id
})
afterAll(() => {
  engine.close()
  tmp.cleanup()
})

describe('session lease', () => {
  it('refuses a second process, naming the holder, until the holder is gone', async () => {
    const child = spawnTs(HOLDER, [dataDir, sessionId])
    await waitForLine(child, /^leased$/)

    const refused = await engine.call('sessions.lease', { sessionId }, { transport: 'test' })
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.error.code).toBe('session_leased')
    expect(refused.error.message).toContain(
      'Session "Busy session" is open in the Paddock web host',
    )
    expect(refused.error.message).toContain(`pid ${child.pid} on ${hostname()}`)

    // Deleting a session another process drives is refused the same way, and deletes nothing.
    const del = await engine.call('sessions.delete', { sessionId }, { transport: 'test' })
    expect(del).toMatchObject({ ok: false, error: { code: 'session_leased' } })
    expect(engine.store.getSession(sessionId).id).toBe(sessionId)

    // kill -9: the holder cannot release, but a dead process's lease is not honoured.
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    const taken = await engine.call('sessions.lease', { sessionId }, { transport: 'test' })
    expect(taken).toMatchObject({ ok: true, result: { pid: process.pid } })
  })

  it('lets the same process lease again and release', async () => {
    const a = await engine.call('sessions.lease', { sessionId }, { transport: 'test' })
    const b = await engine.call('sessions.lease', { sessionId }, { transport: 'test' })
    expect(a.ok && b.ok).toBe(true)
    await engine.call('sessions.release', { sessionId }, { transport: 'test' })
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM leases').get()).toEqual({ n: 0 })
  })
})
