import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'
import { HOST_STREAM } from '../../src/shared/events'
import type { PaddockEvent } from '../../src/shared/events'
import { tempDir } from '../support/temp'

const cleanups: Array<() => void> = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

function setup(): {
  dataDir: string
  project: string
  open: () => ReturnType<typeof createEngine>
} {
  const tmp = tempDir()
  const dataDir = join(tmp.path, 'data')
  const project = join(tmp.path, 'project')
  mkdirSync(project)
  const engines: Array<ReturnType<typeof createEngine>> = []
  cleanups.push(() => {
    engines.forEach((e) => e.close())
    tmp.cleanup()
  })
  return {
    dataDir,
    project,
    open: () => {
      const e = createEngine({ dataDir, kind: 'web', logger: createMemoryLogger() })
      engines.push(e)
      return e
    },
  }
}

describe('event streams', () => {
  it('numbers each stream 1, 2, 3… and keeps counting across a host restart', () => {
    const { open, project } = setup()
    const first = open()
    const ws = first.store.openWorkspace(project, 'project')
    const s = first.store.createSession(ws.id)
    first.store.renameSession(s.id, 'two')
    first.close()

    const second = open()
    second.store.renameSession(s.id, 'three')
    const { replay } = second.subscribe({}, () => {})
    const ofSession = replay.filter((e) => e.sessionId === s.id)
    expect(ofSession.map((e) => [e.type, e.seq])).toEqual([
      ['session.created', 1],
      ['session.updated', 2],
      ['session.updated', 3],
    ])
    expect(replay.filter((e) => e.sessionId === HOST_STREAM).map((e) => e.seq)).toEqual([1])
  })

  it('replays exactly what a cursor has not seen, then delivers live events once', () => {
    const { open, project } = setup()
    const engine = open()
    const ws = engine.store.openWorkspace(project, 'project')
    const a = engine.store.createSession(ws.id)
    engine.store.renameSession(a.id, 'a2')
    const live: PaddockEvent[] = []
    const sub = engine.subscribe({ [HOST_STREAM]: 1, [a.id]: 1 }, (e) => live.push(e))
    expect(sub.replay.map((e) => [e.sessionId, e.seq])).toEqual([[a.id, 2]])
    const b = engine.store.createSession(ws.id)
    expect(live.map((e) => [e.sessionId, e.seq, e.type])).toEqual([[b.id, 1, 'session.created']])
    sub.dispose()
    engine.store.renameSession(b.id, 'gone')
    expect(live).toHaveLength(1)
  })

  it('keeps a tombstone for a deleted session so a late client learns of the deletion', () => {
    const { open, project } = setup()
    const engine = open()
    const ws = engine.store.openWorkspace(project, 'project')
    const s = engine.store.createSession(ws.id)
    engine.store.appendEntry(s.id, { type: 'turn_end', payload: { reason: 'done' } })
    engine.store.renameSession(s.id, 'x')
    engine.store.deleteSession(s.id)
    const { replay } = engine.subscribe({ [s.id]: 1 }, () => {})
    const ofSession = replay.filter((e) => e.sessionId === s.id)
    expect(ofSession.map((e) => [e.type, e.seq])).toEqual([['session.deleted', 4]])
    expect(engine.db.prepare('SELECT COUNT(*) AS n FROM entries').get()).toEqual({ n: 0 })
  })
})

describe('entries read back from disk', () => {
  it('refuse an entry type this version does not know, naming the entry', () => {
    const { open, project } = setup()
    const engine = open()
    const ws = engine.store.openWorkspace(project, 'project')
    const s = engine.store.createSession(ws.id)
    const e = engine.store.appendEntry(s.id, { type: 'turn_end', payload: { reason: 'done' } })
    engine.db.prepare("UPDATE entries SET type = 'hologram' WHERE id = ?").run(e.id)
    expect(() => engine.store.branch(s.id)).toThrow(`Entry ${e.id} has an unknown type "hologram".`)
  })
})
