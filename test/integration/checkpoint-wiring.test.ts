import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { CheckpointPayload, RestoreNotePayload } from '../../src/shared/entries'
import type { CheckpointRecord } from '../../src/shared/entries'
import { nodeCheckpointFs } from '../../src/main/checkpoints'
import type { CheckpointFs } from '../../src/main/checkpoints'
import { Settings } from '../../src/main/sessions/settings'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

const fixtures: AgentFixture[] = []
afterEach(async () => {
  // Closed newest first: a second engine sharing a data dir goes before the first one's cleanup.
  for (const f of fixtures.splice(0).reverse()) await f.close()
})

async function fixture(opts: Parameters<typeof agentFixture>[0] = {}): Promise<AgentFixture> {
  const f = await agentFixture(opts)
  fixtures.push(f)
  return f
}

function checkpoints(a: AgentFixture, sessionId = a.sessionId): CheckpointRecord[] {
  return a.fx.engine.store
    .branch(sessionId)
    .filter((e) => e.type === 'checkpoint')
    .map((e) => CheckpointPayload.parse(e.payload))
}

function taken(records: CheckpointRecord[]): Array<Extract<CheckpointRecord, { taken: true }>> {
  return records.filter((r): r is Extract<CheckpointRecord, { taken: true }> => r.taken)
}

const read = (a: AgentFixture, rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

function refs(a: AgentFixture, prefix = 'refs/paddock'): string[] {
  const out = execFileSync(
    'git',
    [
      `--git-dir=${join(a.fx.dataDir, 'checkpoints', a.workspaceId)}`,
      'for-each-ref',
      '--format=%(refname)',
      prefix,
    ],
    { encoding: 'utf8' },
  )
  return out.split('\n').filter(Boolean)
}

/** A read-only step, one editing a.txt then `rm`, one `mv`, one `sed -i`, then a text answer. */
function scriptShellRun(a: AgentFixture): void {
  a.fake.script(
    { toolCalls: [{ name: 'read', arguments: { path: 'a.txt' } }] },
    {
      toolCalls: [
        { name: 'edit', arguments: { path: 'a.txt', old_string: 'two', new_string: 'TWO' } },
        { name: 'bash', arguments: { command: 'rm b.txt' } },
      ],
    },
    { toolCalls: [{ name: 'bash', arguments: { command: 'mv c.txt d.txt' } }] },
    { toolCalls: [{ name: 'bash', arguments: { command: "sed -i 's/one/ONE/' a.txt" } }] },
    { text: 'Done.' },
  )
}

describe('checkpoints wired into the engine', () => {
  it('checkpoints before mutating tools and after each step; restores, undoes, tells the agent', async () => {
    const a = await fixture()
    a.write('a.txt', 'one\ntwo\nthree\n')
    a.write('b.txt', 'bee\n')
    a.write('c.txt', 'sea\n')
    scriptShellRun(a)
    expect(await a.run('Shuffle the files')).toEqual({ reason: 'done' })
    expect(read(a, 'a.txt')).toBe('ONE\nTWO\nthree\n')
    expect(read(a, 'b.txt')).toBeNull()
    expect(read(a, 'd.txt')).toBe('sea\n')

    const records = checkpoints(a)
    expect(records.every((r) => r.taken)).toBe(true)
    const cps = taken(records)
    const summary = cps.map((c) => [
      c.reason,
      c.toolName ?? null,
      c.files.map((f) => `${f.status} ${f.path} +${f.additions} -${f.deletions}`),
    ])
    expect(summary).toEqual([
      // A step of reads takes none. The workspace's first: the baseline before the first edit.
      ['before-tool', 'edit', []],
      // Before `rm` (same step): the edit is in.
      ['before-tool', 'bash', ['modified a.txt +1 -1']],
      ['turn-end', null, ['deleted b.txt +0 -1']],
      // Before `mv` and `sed` nothing had changed since: no entry. After them, their changes.
      ['turn-end', null, ['deleted c.txt +0 -1', 'added d.txt +1 -0']],
      ['turn-end', null, ['modified a.txt +1 -1']],
    ])
    expect(cps[0]!.baseline).toBe(true)
    // Each belongs to its step and its prompt.
    const branch = a.fx.engine.store.branch(a.sessionId)
    const prompt = branch.find((e) => e.type === 'user_message')!
    const answers = branch.filter((e) => e.type === 'assistant_message').map((e) => e.id)
    expect(cps.map((c) => c.turnId)).toEqual(cps.map(() => prompt.id))
    expect(cps.map((c) => c.anchorId)).toEqual([
      answers[1],
      answers[1],
      answers[1],
      answers[2],
      answers[3],
    ])
    expect(cps[1]!.toolCallId).toBe('call_2_1')
    // A before-tool checkpoint is recorded before the result of the call it protects.
    const first = branch.findIndex((e) => e.type === 'checkpoint')
    expect(branch[first - 1]!.id).toBe(answers[1])
    expect(branch[first + 1]!.payload).toMatchObject({ toolCallId: 'call_2_0', toolName: 'edit' })

    // The contract lists them with the same details.
    const listed = await a.fx.call('checkpoints.list', { sessionId: a.sessionId })
    expect(listed.map((c) => c.id)).toEqual(cps.map((c) => c.id))
    expect(listed.map((c) => [c.reason, c.toolName, c.filesChanged])).toEqual([
      ['before-tool', 'edit', 0],
      ['before-tool', 'bash', 1],
      ['turn-end', null, 1],
      ['turn-end', null, 2],
      ['turn-end', null, 1],
    ])
    expect(listed[1]!.files).toEqual(cps[1]!.files)

    // A diff from the baseline to the working tree: the mv is a rename.
    const diff = await a.fx.call('checkpoints.diff', { sessionId: a.sessionId, from: cps[0]!.id })
    expect(diff.to).toBe('worktree')
    expect(diff.files.map((f) => [f.status, f.oldPath ?? null, f.path])).toEqual([
      ['modified', null, 'a.txt'],
      ['deleted', null, 'b.txt'],
      ['renamed', 'c.txt', 'd.txt'],
    ])
    expect(diff.files[0]!.patch).toContain('-one\n-two\n+ONE\n+TWO\n three\n')
    expect(diff.truncated).toBe(false)
    const file = await a.fx.call('checkpoints.file', {
      sessionId: a.sessionId,
      checkpointId: cps[0]!.id,
      path: 'a.txt',
    })
    expect(file).toMatchObject({ content: 'one\ntwo\nthree\n', binary: false, mode: '100644' })

    // Restore everything to the baseline: rm, mv and sed -i are all rewound.
    const restored = await a.fx.call('checkpoints.restore', {
      sessionId: a.sessionId,
      checkpointId: cps[0]!.id,
    })
    expect([...restored.written].sort()).toEqual(['a.txt', 'b.txt', 'c.txt'])
    expect(restored.deleted).toEqual(['d.txt'])
    expect(restored.otherRunningSessions).toEqual([])
    expect(read(a, 'a.txt')).toBe('one\ntwo\nthree\n')
    expect(read(a, 'b.txt')).toBe('bee\n')
    expect(read(a, 'c.txt')).toBe('sea\n')
    expect(read(a, 'd.txt')).toBeNull()
    const note = a.fx.engine.store.branch(a.sessionId).find((e) => e.id === restored.entryId)!
    expect(RestoreNotePayload.parse(note.payload)).toMatchObject({
      checkpointId: cps[0]!.id,
      undoId: restored.undoId,
    })

    // The agent's next request says what was restored, to which checkpoint.
    a.fake.script({ text: 'Noted.' })
    await a.run('Carry on')
    const messages = a.fake.chatRequests().at(-1)!.messages as ChatCompletionMessageParam[]
    const last = messages.at(-1)!
    expect(last.role).toBe('user')
    expect(last.content).toContain(`checkpoint ${cps[0]!.id.slice(0, 12)}`)
    expect(last.content).toMatch(/restored a\.txt, b\.txt, c\.txt; deleted d\.txt/)
    expect(last.content).toContain('Carry on')

    // Undo gives back the later state, after a restart too: the restore is read from the log.
    await a.fx.engine.drain()
    a.fx.engine.close()
    const b = await fixture({ fake: a.fake, reuse: { root: a.fx.root }, sessionId: a.sessionId })
    const undone = await b.fx.call('checkpoints.undoRestore', { sessionId: a.sessionId })
    expect(undone.undone).toBe(restored.entryId)
    expect(read(a, 'a.txt')).toBe('ONE\nTWO\nthree\n')
    expect(read(a, 'b.txt')).toBeNull()
    expect(read(a, 'c.txt')).toBeNull()
    expect(read(a, 'd.txt')).toBe('sea\n')
    await expect(
      b.fx.call('checkpoints.undoRestore', { sessionId: a.sessionId }),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      b.fx.call('checkpoints.restore', { sessionId: a.sessionId, checkpointId: 'f'.repeat(40) }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })

  it('bounds a huge diff, flags binary files, lists oversized files as unprotected', async () => {
    const a = await fixture()
    new Settings(a.fx.engine.db).set('checkpoints.sizeCapBytes', 3_000_000)
    a.write('small.txt', 'one\n')
    const first = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    // ~2.4 MB of added lines: over the diff's patch budget, under the size cap.
    a.write('big.txt', 'a line of text that is forty chars long\n'.repeat(60_000))
    a.write('small.txt', 'two\n')
    writeFileSync(join(a.workspace, 'blob.bin'), Buffer.from([0, 1, 2, 0, 255]))
    a.write('huge.log', 'x'.repeat(3_000_001))
    const second = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(second.unprotected).toEqual([
      expect.objectContaining({ path: 'huge.log', reason: 'oversized' }),
    ])
    const recorded = checkpoints(a).at(-1)
    expect(recorded).toMatchObject({ taken: true, id: second.id, unprotectedTotal: 1 })

    const diff = await a.fx.call('checkpoints.diff', {
      sessionId: a.sessionId,
      from: first.id,
      to: second.id,
    })
    const byPath = new Map(diff.files.map((f) => [f.path, f]))
    expect([...byPath.keys()].sort()).toEqual(['big.txt', 'blob.bin', 'small.txt'])
    expect(diff.truncated).toBe(true)
    expect(byPath.get('big.txt')).toMatchObject({ patch: null, truncated: true, additions: 60_000 })
    expect(byPath.get('small.txt')).toMatchObject({ truncated: false })
    expect(byPath.get('small.txt')!.patch).toContain('-one\n+two\n')
    expect(byPath.get('blob.bin')).toMatchObject({ binary: true, patch: null, truncated: false })

    const bin = await a.fx.call('checkpoints.file', {
      sessionId: a.sessionId,
      checkpointId: second.id,
      path: 'blob.bin',
    })
    expect(bin).toMatchObject({ binary: true, content: null, size: 5 })
    const big = await a.fx.call('checkpoints.file', {
      sessionId: a.sessionId,
      checkpointId: second.id,
      path: 'big.txt',
    })
    expect(big).toMatchObject({ tooLarge: true, content: null, size: 2_400_000 })
    await expect(
      a.fx.call('checkpoints.file', {
        sessionId: a.sessionId,
        checkpointId: first.id,
        path: 'big.txt',
      }),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      a.fx.call('checkpoints.file', {
        sessionId: a.sessionId,
        checkpointId: first.id,
        path: '../outside.txt',
      }),
    ).rejects.toMatchObject({ code: 'invalid_params' })
  })

  it('restores single files, lists other running sessions, and takes checkpoints on demand', async () => {
    const a = await fixture()
    a.write('x.txt', 'x1\n')
    a.write('y.txt', 'y1\n')
    const first = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(first).toMatchObject({ changed: true, baseline: true })
    a.write('x.txt', 'x2\n')
    a.write('y.txt', 'y2\n')
    const again = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(again.changed).toBe(true)
    expect(again.files.map((f) => f.path)).toEqual(['x.txt', 'y.txt'])
    const same = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(same).toMatchObject({ changed: false, id: again.id, entryId: null })

    // Another session of the workspace is running (its model hangs): the restore names it.
    const other = await a.fx.call('sessions.create', { workspaceId: a.workspaceId, title: 'Busy' })
    a.fake.script({ hang: true })
    await a.fx.call('sessions.prompt', { sessionId: other.id, text: 'Think', mode: 'full-auto' })
    await a.waitFor((e) => e.type === 'turn.state' && e.sessionId === other.id)
    const r = await a.fx.call('checkpoints.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      files: ['x.txt'],
    })
    expect(r.written).toEqual(['x.txt'])
    expect(r.otherRunningSessions).toEqual([{ sessionId: other.id, title: 'Busy' }])
    expect(read(a, 'x.txt')).toBe('x1\n')
    expect(read(a, 'y.txt')).toBe('y2\n')
    await a.fx.call('sessions.abort', { sessionId: other.id })
  })

  it('a second engine on the same data dir runs without checkpoints, saying why', async () => {
    const a = await fixture()
    a.write('a.txt', 'one\n')
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'two\n' } }] },
      { text: 'ok' },
    )
    await a.run('Write')
    expect(taken(checkpoints(a)).length).toBeGreaterThan(0)

    // Same data dir and workspace, another engine: the first one holds the store.
    const b = await fixture({ fake: a.fake, reuse: { root: a.fx.root } })
    b.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'three\n' } }] },
      { text: 'ok' },
    )
    expect(await b.run('Write again')).toEqual({ reason: 'done' })
    expect(read(b, 'a.txt')).toBe('three\n')
    const records = checkpoints(b)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ taken: false, code: 'store_busy', toolName: 'write' })
    const missed = records[0] as Extract<CheckpointRecord, { taken: false }>
    expect(missed.message).toMatch(/open in process \d+/)
    expect(missed.message.split('\n')).toHaveLength(1)
    // It can still list and read what the other one took, but not restore.
    const listed = await b.fx.call('checkpoints.list', { sessionId: a.sessionId })
    expect(listed.length).toBe(taken(checkpoints(a)).length)
    await expect(
      b.fx.call('checkpoints.restore', { sessionId: a.sessionId, checkpointId: listed[0]!.id }),
    ).rejects.toMatchObject({ code: 'store_busy' })
  })

  it('deleting a session frees its refs and keeps the others', async () => {
    const a = await fixture()
    a.write('a.txt', 'one\n')
    await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    const other = await a.fx.call('sessions.create', { workspaceId: a.workspaceId })
    a.write('a.txt', 'two\n')
    await a.fx.call('checkpoints.create', { sessionId: other.id })
    a.write('a.txt', 'three\n')
    await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(refs(a, `refs/paddock/${a.sessionId}`)).toHaveLength(2)
    expect(refs(a, `refs/paddock/${other.id}`)).toHaveLength(1)

    await a.fx.call('sessions.delete', { sessionId: a.sessionId })
    expect(refs(a, `refs/paddock/${a.sessionId}`)).toEqual([])
    expect(refs(a)).toEqual([`refs/paddock/${other.id}/1`])
  })

  it('a store that cannot be written marks the step unprotected and the run goes on', async () => {
    let failing = false
    const denied = (path: string): boolean =>
      failing && /[/\\]checkpoints[/\\][^/\\]+[/\\](objects|refs)[/\\]/.test(path)
    const eacces = (path: string): Error =>
      Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' })
    const fs: CheckpointFs = {
      ...nodeCheckpointFs,
      writeFile: (path, data, options) =>
        denied(path)
          ? Promise.reject(eacces(path))
          : nodeCheckpointFs.writeFile(path, data, options),
      rename: (from, to) =>
        denied(to) ? Promise.reject(eacces(to)) : nodeCheckpointFs.rename(from, to),
    }
    const a = await fixture({ extra: { checkpoints: { fs } } })
    a.write('a.txt', 'one\n')
    failing = true
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'two\n' } }] },
      { text: 'ok' },
    )
    expect(await a.run('Write')).toEqual({ reason: 'done' })
    expect(read(a, 'a.txt')).toBe('two\n')
    const records = checkpoints(a)
    expect(records[0]).toMatchObject({
      taken: false,
      code: 'store_write_failed',
      reason: 'before-tool',
      toolName: 'write',
    })
    expect((records[0] as { message: string }).message).toContain('EACCES')
    expect(records.every((r) => !r.taken)).toBe(true)
    expect(a.fx.logger.lines.join('')).toContain('checkpoint not taken')

    // Writable again: the next step is protected.
    failing = false
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'three\n' } }] },
      { text: 'ok' },
    )
    await a.run('Write again')
    expect(taken(checkpoints(a)).length).toBeGreaterThan(0)
  })

  it('prunes to the retention settings when a store opens', async () => {
    const a = await fixture()
    for (const n of [1, 2, 3, 4]) {
      a.write('a.txt', `${n}\n`)
      await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    }
    expect(refs(a)).toHaveLength(4)
    await a.fx.engine.drain()
    new Settings(a.fx.engine.db).set('checkpoints.maxCount', 2)
    // The next writable open prunes before anything else.
    const kept = await a.fx.call('checkpoints.create', { sessionId: a.sessionId })
    expect(kept.changed).toBe(false)
    expect(refs(a)).toEqual([`refs/paddock/${a.sessionId}/3`, `refs/paddock/${a.sessionId}/4`])
  })
})
