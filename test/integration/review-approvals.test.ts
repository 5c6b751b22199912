import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApprovalRequest } from '../../src/shared/entries'
import { ApprovalRequestPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const isRequest = (e: PaddockEvent): boolean =>
  e.type === 'entry.appended' &&
  e.entry.type === 'approval' &&
  (e.entry.payload as { kind?: string }).kind === 'request'

async function request(n: number): Promise<ApprovalRequest> {
  await a.waitFor(() => a.events.filter(isRequest).length >= n)
  const e = a.events.filter(isRequest)[n - 1] as Extract<PaddockEvent, { type: 'entry.appended' }>
  return ApprovalRequestPayload.parse(e.entry.payload)
}

describe('review: approving an edit the user rewrote', () => {
  it('writes the user text instead of the model edit and tells the model', async () => {
    a = await agentFixture()
    a.write('f.txt', 'alpha\nbeta\n')
    a.fake.script(
      {
        toolCalls: [
          { name: 'edit', arguments: { path: 'f.txt', old_string: 'beta', new_string: 'BETA' } },
        ],
      },
      { text: 'ok' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Shout', mode: 'ask' })
    const q = await request(1)
    // Nothing touches disk before the answer.
    expect(readFileSync(join(a.workspace, 'f.txt'), 'utf8')).toBe('alpha\nbeta\n')
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q.approvalId,
      answer: 'allow_once',
      editedContent: 'alpha\nBeta (by the user)\n',
    })
    expect(await ended).toEqual({ reason: 'done' })
    expect(readFileSync(join(a.workspace, 'f.txt'), 'utf8')).toBe('alpha\nBeta (by the user)\n')
    const tool = a.fake.chatRequests()[1]!.messages.find((m) => m.role === 'tool')!
    expect(String(tool.content)).toContain('The user edited your change before applying it')
    expect(String(tool.content)).toContain('Beta (by the user)')
  })

  it('refuses editedContent with a denial or for a command, with a clear error', async () => {
    a = await agentFixture()
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: 'rm -rf build' } }] },
      { text: 'ok' },
    )
    const ended = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'Clean', mode: 'ask' })
    const q = await request(1)
    const out = await a.fx.engine.call(
      'sessions.answerApproval',
      {
        sessionId: a.sessionId,
        approvalId: q.approvalId,
        answer: 'allow_once',
        editedContent: 'x',
      },
      { transport: 'test' },
    )
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    expect(JSON.stringify(out)).toContain('bash call')
    await a.fx.call('sessions.answerApproval', {
      sessionId: a.sessionId,
      approvalId: q.approvalId,
      answer: 'deny',
    })
    expect(await ended).toEqual({ reason: 'done' })
  })
})

describe('review: workspaces.readFile', () => {
  it('reads text, flags binary and missing files, and stays inside the workspace', async () => {
    a = await agentFixture()
    a.write('src/a.ts', 'export const a = 1\n')
    writeFileSync(join(a.workspace, 'bin.dat'), Buffer.from([0, 1, 2, 3]))
    symlinkSync('/etc/hostname', join(a.workspace, 'escape'))
    const ws = a.fx.engine.store.getSession(a.sessionId).workspaceId
    const read = (path: string): Promise<unknown> =>
      a.fx.engine.call('workspaces.readFile', { workspaceId: ws, path }, { transport: 'test' })
    expect(await read('src/a.ts')).toMatchObject({
      ok: true,
      result: { path: 'src/a.ts', exists: true, binary: false, content: 'export const a = 1\n' },
    })
    expect(await read('bin.dat')).toMatchObject({
      ok: true,
      result: { exists: true, binary: true, content: null },
    })
    expect(await read('nope.txt')).toMatchObject({
      ok: true,
      result: { exists: false, content: null },
    })
    expect(await read('../outside.txt')).toMatchObject({
      ok: false,
      error: { code: 'invalid_params' },
    })
    expect(await read('escape')).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    expect(await read('src')).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })
})

describe('review: review.writeFile', () => {
  it('writes the reviewed file after a checkpoint, undoes like a restore, and tells the agent', async () => {
    a = await agentFixture()
    a.write('f.txt', 'one\ntwo\n')
    const base = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    a.write('f.txt', 'ONE\ntwo\nTHREE\n')
    const out = await a.fx.call('review.writeFile', {
      sessionId: a.sessionId,
      path: 'f.txt',
      content: 'one\ntwo\nTHREE\n',
      base: base.id,
      text: 'Reverted 1 of 2 changes in f.txt',
    })
    expect(readFileSync(join(a.workspace, 'f.txt'), 'utf8')).toBe('one\ntwo\nTHREE\n')
    const note = a.fx.engine.store.branch(a.sessionId).find((e) => e.id === out.entryId)
    expect(note).toMatchObject({ type: 'note', payload: { kind: 'restore', files: ['f.txt'] } })

    a.fake.script({ text: 'ok' })
    expect(await a.run('Go on')).toEqual({ reason: 'done' })
    const told = JSON.stringify(a.fake.chatRequests().at(-1)!.messages)
    expect(told).toContain('[Paddock note] The user restored files')
    expect(told).toContain('f.txt')

    await a.fx.call('checkpoints.undoRestore', { sessionId: a.sessionId })
    expect(readFileSync(join(a.workspace, 'f.txt'), 'utf8')).toBe('ONE\ntwo\nTHREE\n')

    const outside = await a.fx.engine.call(
      'review.writeFile',
      { sessionId: a.sessionId, path: '../x', content: 'x', base: base.id, text: 'x' },
      { transport: 'test' },
    )
    expect(outside).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })

  it('refuses a write through a symlinked folder out of the workspace, or into any .git folder', async () => {
    a = await agentFixture()
    a.write('f.txt', 'one\n')
    const base = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    const outsideDir = join(a.fx.root, 'outside')
    mkdirSync(outsideDir, { recursive: true })
    symlinkSync(outsideDir, join(a.workspace, 'linkdir'))
    mkdirSync(join(a.workspace, 'sub', '.git'), { recursive: true })
    mkdirSync(join(a.workspace, '.git'), { recursive: true })
    symlinkSync(join(a.workspace, '.git'), join(a.workspace, 'g'))
    const write = (path: string) =>
      a.fx.engine.call(
        'review.writeFile',
        { sessionId: a.sessionId, path, content: 'x', base: base.id, text: 'x' },
        { transport: 'test' },
      )
    for (const path of ['linkdir/x.txt', 'sub/.git/config', 'g/config', '.git/config']) {
      expect(await write(path), path).toMatchObject({
        ok: false,
        error: { code: 'invalid_params' },
      })
    }
    expect(existsSync(join(outsideDir, 'x.txt'))).toBe(false)
    expect(existsSync(join(a.workspace, 'sub', '.git', 'config'))).toBe(false)
    expect(existsSync(join(a.workspace, '.git', 'config'))).toBe(false)
  })
})
