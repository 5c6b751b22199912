import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PaddockEvent } from '../../src/shared/events'
import type { HostState } from '../../src/shared/state'
import { applyEvent, stateFromSnapshot } from '../../src/shared/state'
import type { WsClient } from '../../src/shared/ws-client'
import { connectClient } from '../support/node-client'
import { tempDir } from '../support/temp'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

let tmp: ReturnType<typeof tempDir>
let host: RunningWebHost
let project: string

beforeAll(async () => {
  tmp = tempDir()
  project = join(tmp.path, 'project')
  mkdirSync(project)
  host = await startWebHost({ dataDir: join(tmp.path, 'data'), workspace: project })
})
afterAll(async () => {
  await host.stop()
  tmp.cleanup()
})

interface Observer {
  client: WsClient
  state: HostState
  seen: PaddockEvent[]
  /** Resolves once the state's cursor for `stream` reaches `seq`. */
  reach(stream: string, seq: number): Promise<void>
}

async function observe(): Promise<Observer> {
  const client = connectClient(host)
  const snapshot = await client.call('host.snapshot', {})
  const waiters: Array<() => void> = []
  const obs: Observer = {
    client,
    state: stateFromSnapshot(snapshot),
    seen: [],
    reach: (stream, seq) =>
      new Promise((resolve) => {
        const check = (): void => {
          if ((obs.state.cursors[stream] ?? 0) >= seq) resolve()
          else waiters.push(check)
        }
        check()
      }),
  }
  client.subscribe(snapshot.cursors, (event) => {
    obs.seen.push(event)
    obs.state = applyEvent(obs.state, event)
    waiters.splice(0).forEach((w) => w())
  })
  return obs
}

describe('reconnecting client', () => {
  it('after a drop mid-burst, ends in exactly the state of a client that never disconnected', async () => {
    const steady = await observe()
    const flaky = await observe()
    const writer = connectClient(host)
    const [ws] = await writer.call('workspaces.list', {})

    // A burst: sessions created and renamed as fast as the host takes them.
    const burst = (async () => {
      const created: string[] = []
      for (let i = 0; i < 60; i++) {
        const s = await writer.call('sessions.create', { workspaceId: ws!.id, title: `s${i}` })
        created.push(s.id)
        await writer.call('sessions.rename', { sessionId: s.id, title: `s${i} renamed` })
        if (i % 10 === 9) await writer.call('sessions.delete', { sessionId: created[i - 5]! })
      }
      return created
    })()

    // Drop the flaky client's socket twice while events are flowing.
    let drops = 0
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        if (flaky.seen.length > 20 * (drops + 1)) {
          flaky.client.dropConnection()
          drops += 1
          if (drops === 2) {
            clearInterval(tick)
            resolve()
          }
        }
      }, 5)
    })
    const created = await burst
    expect(drops).toBe(2)

    const heads = (await writer.call('host.snapshot', {})).cursors
    for (const [stream, seq] of Object.entries(heads)) {
      await steady.reach(stream, seq)
      await flaky.reach(stream, seq)
    }
    expect(flaky.state).toEqual(steady.state)
    expect(Object.keys(flaky.state.sessions)).toHaveLength(created.length - 6)
    // Exactly once: per stream the flaky client saw strictly increasing seqs, no repeats.
    const perStream = new Map<string, number>()
    for (const e of flaky.seen) {
      expect(e.seq).toBeGreaterThan(perStream.get(e.sessionId) ?? 0)
      perStream.set(e.sessionId, e.seq)
    }
    for (const c of [steady, flaky]) c.client.close()
    writer.close()
  })

  it('sees sessions another process (the CLI) creates while it is connected', async () => {
    const { spawnSync } = await import('node:child_process')
    const { BIN_PADDOCK } = await import('../support/paths')
    const obs = await observe()
    const got = new Promise<PaddockEvent>((resolve) => {
      const check = setInterval(() => {
        const e = obs.seen.find((x) => x.type === 'session.created')
        if (e) {
          clearInterval(check)
          resolve(e)
        }
      }, 10)
    })
    const dataDir = join(tmp.path, 'data')
    const res = spawnSync(
      process.execPath,
      [
        BIN_PADDOCK,
        'sessions',
        'create',
        '--workspace',
        project,
        '--title',
        'From CLI',
        '--data-dir',
        dataDir,
      ],
      { encoding: 'utf8' },
    )
    expect(res.stderr).toBe('')
    expect(res.status).toBe(0)
    const event = await got
    expect(event.type === 'session.created' && event.session.title).toBe('From CLI')
    obs.client.close()
  })
})
