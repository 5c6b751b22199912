import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Method } from '../../src/shared/contract'
import { MAX_REQUEST_BYTES, METHODS } from '../../src/shared/contract'
import type { EngineFixture } from '../support/engine'
import { engineFixture } from '../support/engine'

let fx: EngineFixture
let ids: { workspaceId: string; sessionId: string; folder: string }

/** A valid request for every method, and the string field an oversized payload is put into. */
function samples(): Record<Method, { params: Record<string, unknown>; bigField: string }> {
  return {
    'host.info': { params: {}, bigField: 'padding' },
    'host.snapshot': { params: {}, bigField: 'padding' },
    'host.doctor': { params: {}, bigField: 'padding' },
    'fs.listDirs': { params: { path: fx.home }, bigField: 'path' },
    'workspaces.list': { params: {}, bigField: 'padding' },
    'workspaces.open': { params: { path: ids.folder }, bigField: 'path' },
    'workspaces.close': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
    'sessions.list': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
    'sessions.create': { params: { workspaceId: ids.workspaceId, title: 'T' }, bigField: 'title' },
    'sessions.rename': { params: { sessionId: ids.sessionId, title: 'New' }, bigField: 'title' },
    'sessions.delete': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.lease': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.release': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.entries': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.prompt': { params: { sessionId: ids.sessionId, text: 'Hi' }, bigField: 'text' },
    'sessions.continue': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.steer': { params: { sessionId: ids.sessionId, text: 'Stop' }, bigField: 'text' },
    'sessions.followUp': { params: { sessionId: ids.sessionId, text: 'Then' }, bigField: 'text' },
    'sessions.abort': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.attachText': { params: { sessionId: ids.sessionId, text: 'Long' }, bigField: 'text' },
    'sessions.status': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.compact': { params: { sessionId: ids.sessionId, focus: 'tests' }, bigField: 'focus' },
    'sessions.contextFit': {
      params: { sessionId: ids.sessionId, model: 'fake/model' },
      bigField: 'sessionId',
    },
    'workspaces.trust': {
      params: { workspaceId: ids.workspaceId, trusted: true },
      bigField: 'workspaceId',
    },
    'sessions.answerApproval': {
      params: { sessionId: ids.sessionId, approvalId: 'a1', answer: 'deny', feedback: 'no' },
      bigField: 'feedback',
    },
    'sessions.activity': { params: {}, bigField: 'padding' },
    'workspaces.files': {
      params: { workspaceId: ids.workspaceId, query: 'src' },
      bigField: 'query',
    },
    'models.list': { params: {}, bigField: 'padding' },
    'models.setDefault': { params: { ref: 'local/qwen3' }, bigField: 'ref' },
    'models.quirks': { params: { model: 'kimi-k2' }, bigField: 'model' },
    'providers.list': { params: {}, bigField: 'padding' },
    'providers.save': {
      params: { name: 'local', kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1' },
      bigField: 'name',
    },
    'providers.remove': { params: { name: 'local' }, bigField: 'name' },
    'providers.test': { params: { name: 'local' }, bigField: 'name' },
    'providers.detectLocal': { params: {}, bigField: 'padding' },
    'policy.preview': {
      params: {
        workspaceId: ids.workspaceId,
        mode: 'ask',
        tool: 'bash',
        arguments: { command: 'ls' },
      },
      bigField: 'tool',
    },
    'policy.rules': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
    'settings.get': { params: {}, bigField: 'padding' },
    'settings.set': { params: { key: 'terminals.shell', value: 'bash' }, bigField: 'value' },
    'settings.unset': { params: { key: 'terminals.shell' }, bigField: 'key' },
    'sessions.spendToday': { params: {}, bigField: 'padding' },
    'terminals.list': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'terminals.create': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'terminals.attach': { params: { terminalId: 't1' }, bigField: 'terminalId' },
    'terminals.detach': { params: { terminalId: 't1' }, bigField: 'terminalId' },
    'terminals.ack': { params: { terminalId: 't1', offset: 0 }, bigField: 'terminalId' },
    'terminals.input': { params: { terminalId: 't1', data: 'ls\r' }, bigField: 'data' },
    'terminals.resize': {
      params: { terminalId: 't1', cols: 80, rows: 24 },
      bigField: 'terminalId',
    },
    'terminals.restart': { params: { terminalId: 't1' }, bigField: 'terminalId' },
    'terminals.close': { params: { terminalId: 't1' }, bigField: 'terminalId' },
    'checkpoints.list': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'checkpoints.create': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'checkpoints.diff': {
      params: { sessionId: ids.sessionId, from: CHECKPOINT, to: 'worktree' },
      bigField: 'from',
    },
    'checkpoints.restore': {
      params: { sessionId: ids.sessionId, checkpointId: CHECKPOINT, files: ['src/a.ts'] },
      bigField: 'checkpointId',
    },
    'checkpoints.restorePreview': {
      params: { sessionId: ids.sessionId, checkpointId: CHECKPOINT, files: ['src/a.ts'] },
      bigField: 'checkpointId',
    },
    'checkpoints.undoRestore': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'checkpoints.file': {
      params: { sessionId: ids.sessionId, checkpointId: CHECKPOINT, path: 'src/a.ts' },
      bigField: 'path',
    },
    'workspaces.readFile': {
      params: { workspaceId: ids.workspaceId, path: 'src/a.ts' },
      bigField: 'path',
    },
    'review.writeFile': {
      params: {
        sessionId: ids.sessionId,
        path: 'src/a.ts',
        content: 'x',
        base: CHECKPOINT,
        text: 'Reverted a change',
      },
      bigField: 'text',
    },
    'sessions.tree': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.rewind': {
      params: { sessionId: ids.sessionId, entryId: 'e1' },
      bigField: 'entryId',
    },
    'sessions.switchBranch': {
      params: { sessionId: ids.sessionId, leafId: 'e1' },
      bigField: 'leafId',
    },
    'sessions.fork': {
      params: { sessionId: ids.sessionId, entryId: 'e1', title: 'Fork' },
      bigField: 'title',
    },
    'sessions.restore': {
      params: { sessionId: ids.sessionId, checkpointId: CHECKPOINT, scope: 'both' },
      bigField: 'checkpointId',
    },
    'sessions.undoRestore': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'sessions.restoreDeleted': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'worktrees.support': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
    'worktrees.list': { params: {}, bigField: 'padding' },
    'worktrees.prune': { params: {}, bigField: 'padding' },
    'worktrees.deleted': { params: {}, bigField: 'padding' },
    'worktrees.deleteCheck': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'worktrees.radar': { params: {}, bigField: 'padding' },
    'git.status': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.commit': { params: { sessionId: ids.sessionId, message: 'M' }, bigField: 'message' },
    'git.draftMessage': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.merge': { params: { sessionId: ids.sessionId, squash: true }, bigField: 'message' },
    'git.resolve': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.push': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.pullRequest': { params: { sessionId: ids.sessionId }, bigField: 'body' },
    'git.discard': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.baseDiff': { params: { sessionId: ids.sessionId }, bigField: 'sessionId' },
    'git.baseFile': { params: { sessionId: ids.sessionId, path: 'a.ts' }, bigField: 'path' },
    'layout.get': { params: {}, bigField: 'padding' },
    'sandbox.status': { params: {}, bigField: 'padding' },
    'mcp.list': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
    'mcp.add': {
      params: { transport: 'stdio', name: 'fs', command: 'node', args: ['server.js'] },
      bigField: 'command',
    },
    'mcp.remove': { params: { name: 'fs' }, bigField: 'name' },
    'mcp.setEnabled': { params: { name: 'fs', enabled: false }, bigField: 'name' },
    'mcp.setToolEnabled': {
      params: { name: 'fs', tool: 'read', enabled: false },
      bigField: 'tool',
    },
    'mcp.setPinned': { params: { name: 'fs', pinned: true }, bigField: 'name' },
    'mcp.restart': { params: { name: 'fs' }, bigField: 'name' },
    'layout.save': {
      params: {
        layout: {
          openTabs: [ids.sessionId],
          panes: [ids.sessionId],
          focusedPane: 0,
          maximised: false,
          sizes: {},
          collapsed: {},
        },
      },
      bigField: 'layout',
    },
    'skills.list': { params: { workspaceId: ids.workspaceId }, bigField: 'workspaceId' },
  }
}

/** A well-formed checkpoint id (no such checkpoint exists). */
const CHECKPOINT = 'a'.repeat(40)

/** Everything the database holds, so "changed nothing" is checked, not assumed. */
function dump(): string {
  const db = fx.engine.db
  const tables = ['workspaces', 'sessions', 'entries', 'events', 'leases', 'ui_state']
  return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()))
}

beforeAll(async () => {
  fx = engineFixture()
  const folder = join(fx.home, 'project')
  mkdirSync(folder)
  const ws = await fx.call('workspaces.open', { path: folder })
  const s = await fx.call('sessions.create', { workspaceId: ws.id })
  ids = { workspaceId: ws.id, sessionId: s.id, folder }
})
afterAll(() => fx.cleanup())

describe('every contract method validates its input', () => {
  it('has a sample for every method', () => {
    expect(Object.keys(samples()).sort()).toEqual([...METHODS].sort())
  })

  for (const method of METHODS) {
    describe(method, () => {
      const expectRejected = async (params: unknown, code: string): Promise<void> => {
        const before = dump()
        const logged = fx.logger.lines.length
        const outcome = await fx.engine.call(method, params, { transport: 'test' })
        expect(outcome.ok).toBe(false)
        if (outcome.ok) return
        expect(outcome.error.code).toBe(code)
        expect(outcome.error.message.length).toBeGreaterThan(0)
        expect(dump()).toBe(before)
        // Logged with its code and method, unless over the 10 lines a second the log of
        // rejections keeps (the rest is counted: test/unit/log-limit.test.ts).
        const line = fx.logger.lines
          .slice(logged)
          .filter((l) => l.includes('"msg":"request rejected"'))
          .join('')
        if (line !== '') {
          expect(line).toContain(`"code":"${code}"`)
          expect(line).toContain(method)
        }
      }

      it('rejects a wrong-type field', async () => {
        const { params } = samples()[method]
        const keys = Object.keys(params)
        const bad = keys.length ? { ...params, [keys[0]!]: 12345 } : 'not an object'
        await expectRejected(bad, 'invalid_params')
      })

      it('rejects an extra key', async () => {
        await expectRejected({ ...samples()[method].params, sneaky: true }, 'invalid_params')
      })

      it('rejects an oversized payload', async () => {
        const { params, bigField } = samples()[method]
        await expectRejected(
          { ...params, [bigField]: 'x'.repeat(MAX_REQUEST_BYTES + 1) },
          'payload_too_large',
        )
      })
    })
  }

  it('rejects an unknown method', async () => {
    const outcome = await fx.engine.call('sessions.explode', {}, { transport: 'test' })
    expect(outcome).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
  })

  it('accepts the valid samples (so the rejections above are about the mutation)', async () => {
    const s = samples()
    for (const method of [
      'host.info',
      'sessions.list',
      'sessions.entries',
      'fs.listDirs',
      'sessions.activity',
      'workspaces.files',
      'models.list',
      'models.quirks',
      'checkpoints.list',
      'sessions.tree',
      'layout.get',
      'layout.save',
      'skills.list',
      'sandbox.status',
      'mcp.list',
    ] as const) {
      const outcome = await fx.engine.call(method, s[method].params, { transport: 'test' })
      expect(outcome.ok, method).toBe(true)
    }
  })
})
