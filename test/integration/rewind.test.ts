import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CheckpointPayload } from '../../src/shared/entries'
import type { CheckpointTaken } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

const fixtures: AgentFixture[] = []
afterEach(async () => {
  for (const f of fixtures.splice(0).reverse()) await f.close()
})

async function fixture(): Promise<AgentFixture> {
  const f = await agentFixture()
  fixtures.push(f)
  return f
}

const read = (a: AgentFixture, rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

/** The text of every message of the last request the fake server received. */
function lastRequestText(a: AgentFixture): string {
  const requests = a.fake.chatRequests()
  return JSON.stringify(requests[requests.length - 1]!.messages)
}

function taken(a: AgentFixture): Array<CheckpointTaken & { entryId: string }> {
  return a.fx.engine.store
    .branch(a.sessionId)
    .filter((e) => e.type === 'checkpoint')
    .map((e) => ({ ...CheckpointPayload.parse(e.payload), entryId: e.id }))
    .filter((c): c is CheckpointTaken & { entryId: string } => c.taken)
}

/** Two turns: the first writes a.txt, the second rewrites it and adds b.txt. */
async function twoTurns(a: AgentFixture): Promise<void> {
  a.write('a.txt', 'zero\n')
  a.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'one\n' } }] },
    { text: 'Wrote one.' },
    {
      toolCalls: [
        { name: 'write', arguments: { path: 'a.txt', content: 'two\n' } },
        { name: 'write', arguments: { path: 'b.txt', content: 'bee\n' } },
      ],
    },
    { text: 'Wrote two.' },
  )
  expect(await a.run('FIRST prompt')).toEqual({ reason: 'done' })
  expect(await a.run('SECOND prompt')).toEqual({ reason: 'done' })
  expect(read(a, 'a.txt')).toBe('two\n')
}

/** The first turn's `turn_end` entry. */
function firstTurnEnd(a: AgentFixture): string {
  return a.fx.engine.store.branch(a.sessionId).find((e) => e.type === 'turn_end')!.id
}

describe('rewinding the conversation', () => {
  it('lists the tree, rewinds to a turn, branches, and switches back with history intact', async () => {
    const a = await fixture()
    await twoTurns(a)
    const store = a.fx.engine.store
    const oldLeaf = store.getSession(a.sessionId).leafId!

    const tree = await a.fx.call('sessions.tree', { sessionId: a.sessionId })
    expect(tree.leafId).toBe(oldLeaf)
    expect(tree.entries.map((e) => e.id)).toEqual(store.branch(a.sessionId).map((e) => e.id))
    const prompts = tree.entries.filter((e) => e.type === 'user_message').map((e) => e.summary)
    expect(prompts).toEqual(['FIRST prompt', 'SECOND prompt'])
    expect(tree.entries.find((e) => e.type === 'tool_result')!.summary).toBe('write')
    expect(tree.entries.find((e) => e.type === 'checkpoint')!.summary).toMatch(/files$/)

    const moved = await a.fx.call('sessions.rewind', {
      sessionId: a.sessionId,
      entryId: firstTurnEnd(a),
    })
    expect(moved.from).toBe(oldLeaf)
    const rewound = store.branch(a.sessionId)
    expect(rewound[rewound.length - 1]!.type).toBe('branch_point')
    expect(JSON.stringify(rewound)).not.toContain('SECOND prompt')

    a.fake.script({ text: 'Third answer.' })
    expect(await a.run('THIRD prompt')).toEqual({ reason: 'done' })
    const sent = lastRequestText(a)
    expect(sent).toContain('FIRST prompt')
    expect(sent).toContain('Wrote one.')
    expect(sent).toContain('THIRD prompt')
    expect(sent).not.toContain('SECOND prompt')
    expect(sent).not.toContain('Wrote two.')
    // The files were not rewound: the agent is told which ones later steps changed.
    expect(sent).toMatch(
      /The user rewound the conversation to this point; the files were not rewound\. Steps after this point changed a\.txt, b\.txt/,
    )

    // Two branches: the old leaf is still in the tree, and each branch forks at the first turn.
    const after = await a.fx.call('sessions.tree', { sessionId: a.sessionId })
    const children = after.entries.filter((e) => e.parentId === firstTurnEnd(a))
    expect(children.map((e) => e.type).sort()).toEqual(['branch_point', 'user_message'])
    expect(after.entries.some((e) => e.id === oldLeaf)).toBe(true)

    const back = await a.fx.call('sessions.switchBranch', {
      sessionId: a.sessionId,
      leafId: oldLeaf,
    })
    expect(back.leafId).toBe(oldLeaf)
    const old = JSON.stringify(store.branch(a.sessionId))
    expect(old).toContain('SECOND prompt')
    expect(old).toContain('Wrote two.')
    expect(old).not.toContain('THIRD prompt')

    a.fake.script({ text: 'Fourth answer.' })
    await a.run('FOURTH prompt')
    const fourth = lastRequestText(a)
    expect(fourth).toContain('SECOND prompt')
    expect(fourth).not.toContain('THIRD prompt')

    // Files were never touched by any of this.
    expect(read(a, 'a.txt')).toBe('two\n')
  })

  it('lands a rewind to a turn-end checkpoint on the end of its turn', async () => {
    const a = await fixture()
    await twoTurns(a)
    const end = firstTurnEnd(a)
    const lastOfFirst = taken(a).filter((c) => c.reason === 'turn-end')[0]!
    const moved = await a.fx.call('sessions.rewind', {
      sessionId: a.sessionId,
      entryId: lastOfFirst.entryId,
    })
    expect(a.fx.engine.store.getEntry(a.sessionId, moved.branchPointId).parentId).toBe(end)
  })

  it('lands a rewind on the end of its run past Paddock’s correction to the model (not a new run)', async () => {
    const a = await fixture()
    a.write('a.txt', 'zero\n')
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'a.txt', content: 'one\n' } }] },
      // An attempted call that cannot be read: Paddock corrects the model within the run.
      { text: 'Next.\n<tool_call>{"name": "edit", "arguments": {"path": </tool_call>' },
      { text: 'Wrote one.' },
    )
    expect(await a.run('FIRST prompt')).toEqual({ reason: 'done' })
    const branch = a.fx.engine.store.branch(a.sessionId)
    const kinds = branch.flatMap((e) =>
      e.type === 'user_message' ? [(e.payload as { kind: string }).kind] : [],
    )
    expect(kinds).toEqual(['prompt', 'correction'])
    // The tree says which is which (the timeline names branches by the user's prompts only).
    const tree = await a.fx.call('sessions.tree', { sessionId: a.sessionId })
    const messages = tree.entries.filter((e) => e.type === 'user_message')
    expect(messages.map((e) => e.kind)).toEqual(['prompt', 'correction'])
    const end = firstTurnEnd(a)
    const step = taken(a).filter((c) => c.reason === 'turn-end')[0]!
    const moved = await a.fx.call('sessions.rewind', {
      sessionId: a.sessionId,
      entryId: step.entryId,
    })
    // The run's answer stays in the conversation: the rewind lands on its turn_end.
    expect(a.fx.engine.store.getEntry(a.sessionId, moved.branchPointId).parentId).toBe(end)
  })

  it('refuses to move the conversation while the agent runs, and rejects unknown entries', async () => {
    const a = await fixture()
    await twoTurns(a)
    await expect(
      a.fx.call('sessions.rewind', { sessionId: a.sessionId, entryId: 'nosuchentry' }),
    ).rejects.toMatchObject({ code: 'not_found' })
    a.fake.script({ hang: true })
    const end = a.nextEnd()
    await a.fx.call('sessions.prompt', { sessionId: a.sessionId, text: 'hang', mode: 'full-auto' })
    await expect(
      a.fx.call('sessions.rewind', { sessionId: a.sessionId, entryId: firstTurnEnd(a) }),
    ).rejects.toMatchObject({ code: 'session_busy', message: expect.stringMatching(/stop it/) })
    await a.fx.call('sessions.abort', { sessionId: a.sessionId })
    expect((await end).reason).toBe('aborted')
  })

  it('forks a session with the history up to an entry; the source is unchanged', async () => {
    const a = await fixture()
    await twoTurns(a)
    const before = a.fx.engine.store.branch(a.sessionId)
    const { session, copied } = await a.fx.call('sessions.fork', {
      sessionId: a.sessionId,
      entryId: firstTurnEnd(a),
    })
    expect(session.workspaceId).toBe(a.workspaceId)
    expect(session.title).toMatch(/\(fork\)$/)
    const forked = a.fx.engine.store.branch(session.id)
    expect(forked.length).toBe(copied)
    const upTo = before.slice(0, before.findIndex((e) => e.id === firstTurnEnd(a)) + 1)
    expect(forked.map((e) => [e.type, e.payload])).toEqual(
      upTo.map((e) => [e.type, expect.anything()]),
    )
    expect(forked.map((e) => e.id).some((id) => before.some((b) => b.id === id))).toBe(false)
    expect(JSON.stringify(forked)).toContain('FIRST prompt')
    expect(JSON.stringify(forked)).not.toContain('SECOND prompt')
    expect(a.fx.engine.store.branch(a.sessionId)).toEqual(before)
    expect(read(a, 'a.txt')).toBe('two\n')

    // The fork's agent sees only the copied history.
    const fork = a.fx.engine.store.listSessions().find((s) => s.id === session.id)!
    a.fake.script({ text: 'Forked answer.' })
    const done = a.waitFor(
      (e) => e.type === 'entry.appended' && e.sessionId === fork.id && e.entry.type === 'turn_end',
    )
    await a.fx.call('sessions.prompt', {
      sessionId: fork.id,
      text: 'FORK prompt',
      mode: 'full-auto',
    })
    await done
    const sent = lastRequestText(a)
    expect(sent).toContain('FIRST prompt')
    expect(sent).toContain('FORK prompt')
    expect(sent).not.toContain('SECOND prompt')
  })
})

describe('the session tree', () => {
  it('stays small for a 10k-entry session with big payloads', async () => {
    const a = await fixture()
    const db = a.fx.engine.db
    const big = 'x'.repeat(20_000)
    // Written straight into the log (appending through the store costs an event per entry).
    const insert = db.prepare(
      'INSERT INTO entries (id, session_id, parent_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    let n = 0
    let parent: string | null = null
    const add = (type: string, payload: unknown): void => {
      const id = `e${String(n++).padStart(6, '0')}`
      insert.run(id, a.sessionId, parent, type, JSON.stringify(payload), 1)
      parent = id
    }
    db.transaction(() => {
      for (let i = 0; i < 2500; i++) {
        add('user_message', { text: `prompt ${i} ${big}`, kind: 'prompt' })
        add('assistant_message', {
          content: big,
          reasoning: '',
          toolCalls: [],
          finishReason: 'stop',
        })
        add('tool_result', { toolCallId: `c${i}`, toolName: 'read', content: big })
        add('turn_end', { reason: 'done' })
      }
      db.prepare('UPDATE sessions SET leaf_id = ? WHERE id = ?').run(parent, a.sessionId)
    })()
    const tree = await a.fx.call('sessions.tree', { sessionId: a.sessionId })
    expect(tree.leafId).toBe(parent)
    expect(tree.entries).toHaveLength(10_000)
    expect(Math.max(...tree.entries.map((e) => e.summary.length))).toBe(120)
    expect(tree.entries[0]!.summary.startsWith('prompt 0 xxx')).toBe(true)
    expect(tree.entries[2]!.summary).toBe('read')
    // About 100 bytes an entry, against 20 kB of payload each.
    expect(JSON.stringify(tree).length).toBeLessThan(2_000_000)
  })
})

describe('restoring files and conversation as one action', () => {
  it('restores both, tells the agent, and one undo puts back both', async () => {
    const a = await fixture()
    await twoTurns(a)
    const store = a.fx.engine.store
    const oldLeaf = store.getSession(a.sessionId).leafId!
    const first = taken(a).filter((c) => c.reason === 'turn-end')[0]!

    const result = await a.fx.call('sessions.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      scope: 'both',
    })
    expect(result.files!.written).toEqual(['a.txt'])
    expect(result.files!.deleted).toEqual(['b.txt'])
    expect(result.conversation!.from).toBe(oldLeaf)
    expect(read(a, 'a.txt')).toBe('one\n')
    expect(read(a, 'b.txt')).toBeNull()
    expect(JSON.stringify(store.branch(a.sessionId))).not.toContain('SECOND prompt')

    const undo = await a.fx.call('sessions.undoRestore', { sessionId: a.sessionId })
    expect(undo.files!.written.sort()).toEqual(['a.txt', 'b.txt'])
    expect(undo.conversation!.leafId).toBe(oldLeaf)
    expect(read(a, 'a.txt')).toBe('two\n')
    expect(read(a, 'b.txt')).toBe('bee\n')
    expect(store.getSession(a.sessionId).leafId).toBe(oldLeaf)

    // Both again, then a prompt: the request holds the first turn and the restore notice only.
    await a.fx.call('sessions.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      scope: 'both',
    })
    a.fake.script({ text: 'Noted.' })
    await a.run('AFTER both')
    const sent = lastRequestText(a)
    expect(sent).toContain('FIRST prompt')
    expect(sent).not.toContain('SECOND prompt')
    expect(sent).toMatch(/restored files to checkpoint/)
    expect(sent).toContain('b.txt')
    expect(sent).not.toContain('rewound the conversation')
  })

  it('restores only the conversation, or only the files, and undoes each', async () => {
    const a = await fixture()
    await twoTurns(a)
    const store = a.fx.engine.store
    const oldLeaf = store.getSession(a.sessionId).leafId!
    const first = taken(a).filter((c) => c.reason === 'turn-end')[0]!

    const conv = await a.fx.call('sessions.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      scope: 'conversation',
    })
    expect(conv.files).toBeNull()
    expect(read(a, 'a.txt')).toBe('two\n')
    expect(JSON.stringify(store.branch(a.sessionId))).not.toContain('SECOND prompt')
    const undoConv = await a.fx.call('sessions.undoRestore', { sessionId: a.sessionId })
    expect(undoConv.files).toBeNull()
    expect(store.getSession(a.sessionId).leafId).toBe(oldLeaf)

    const files = await a.fx.call('sessions.restore', {
      sessionId: a.sessionId,
      checkpointId: first.id,
      scope: 'files',
    })
    expect(files.conversation).toBeNull()
    expect(read(a, 'a.txt')).toBe('one\n')
    a.fake.script({ text: 'Re-reading.' })
    await a.run('AFTER files')
    const sent = lastRequestText(a)
    expect(sent).toContain('SECOND prompt')
    expect(sent).toMatch(/restored files to checkpoint .*a\.txt/)
    const undoFiles = await a.fx.call('sessions.undoRestore', { sessionId: a.sessionId })
    expect(undoFiles.conversation).toBeNull()
    expect(read(a, 'a.txt')).toBe('two\n')
    await expect(
      a.fx.call('sessions.restore', {
        sessionId: a.sessionId,
        checkpointId: 'f'.repeat(40),
        scope: 'conversation',
      }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})
