import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'
import { spawnTs } from '../support/spawn'
import { tempDir } from '../support/temp'
import { REPO_ROOT } from '../support/paths'

const WRITER = join(REPO_ROOT, 'test', 'support', 'entry-writer.ts')
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let sessionId: string

beforeAll(() => {
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
  const project = join(tmp.path, 'project')
  mkdirSync(project)
  const engine = createEngine({ dataDir, kind: 'cli', logger: createMemoryLogger() })
  const ws = engine.store.openWorkspace(project, 'project')
  sessionId = engine.store.createSession(ws.id).id
  engine.close()
})
afterAll(() => tmp.cleanup())

/** Start the writer, let it acknowledge `acks` entries (or more), then kill -9 mid-write. */
function runAndKill(acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(WRITER, [dataDir, sessionId])
    const acked: string[] = []
    let buf = ''
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString()
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4))
      if (acked.length >= acks && child.exitCode === null && !child.killed) child.kill('SIGKILL')
    })
    child.once('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended without kill -9: ${stderr}`))
      else resolve(acked)
    })
  })
}

describe('session log under kill -9', () => {
  it('stays a consistent tree and keeps every acknowledged entry', async () => {
    let total = 0
    for (let round = 0; round < 6; round++) {
      const acked = await runAndKill(20 + round * 37)
      expect(acked.length).toBeGreaterThan(0)
      total += acked.length

      const engine = createEngine({ dataDir, kind: 'cli', logger: createMemoryLogger() })
      try {
        const db = engine.db
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        const rows = db
          .prepare('SELECT id, parent_id FROM entries WHERE session_id = ?')
          .all(sessionId) as Array<{ id: string; parent_id: string | null }>
        const ids = new Set(rows.map((r) => r.id))
        // Every acknowledged entry is there, including the very last one.
        for (const id of acked) expect(ids.has(id)).toBe(true)
        // Every parent exists: no dangling edges.
        for (const r of rows) if (r.parent_id !== null) expect(ids.has(r.parent_id)).toBe(true)
        // The leaf exists and its branch walks back to a root.
        const session = engine.store.getSession(sessionId)
        expect(session.leafId && ids.has(session.leafId)).toBe(true)
        const branch = engine.store.branch(sessionId)
        expect(branch[0]!.parentId).toBeNull()
        expect(branch[branch.length - 1]!.id).toBe(session.leafId)
        // Each entry's event was committed with it: the session stream has one per entry.
        const events = db
          .prepare("SELECT COUNT(*) AS n FROM events WHERE stream = ? AND type = 'entry.appended'")
          .get(sessionId) as { n: number }
        expect(events.n).toBe(rows.length)
        expect(rows.length).toBeGreaterThanOrEqual(total)
      } finally {
        engine.close()
      }
    }
  })
})
