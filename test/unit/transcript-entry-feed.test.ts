import { describe, expect, it } from 'vitest'
import { createEntryFeed } from '../../src/renderer/src/app/entry-feed'
import { decideAppend } from '../../src/renderer/src/features/transcript/entry-list'
import { SessionEntries } from '../../src/renderer/src/features/transcript/session-entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { Entry } from '../../src/shared/model'

const entry = (id: string, parentId: string | null, sessionId = 's1'): Entry => ({
  id,
  parentId,
  sessionId,
  type: 'user_message',
  payload: { text: id, kind: 'prompt' },
  createdAt: 1,
})

/** e1 → e2 → … → e<n> */
const chain = (n: number): Entry[] =>
  Array.from({ length: n }, (_, i) => entry(`e${i + 1}`, i === 0 ? null : `e${i}`))

const appended = (e: Entry, seq: number): PaddockEvent => ({
  type: 'entry.appended',
  sessionId: e.sessionId,
  seq,
  at: 1,
  entry: e,
})

describe('append or refetch', () => {
  const held = (branch: Entry[]) => (id: string) => branch.some((e) => e.id === id)

  it('appends entries that continue the branch', () => {
    const branch = chain(2)
    const d = decideAppend(branch, held(branch), [entry('e3', 'e2'), entry('e4', 'e3')])
    expect(d).toEqual({ kind: 'append', added: [entry('e3', 'e2'), entry('e4', 'e3')] })
  })

  it('starts an empty session with a root entry', () => {
    expect(decideAppend([], () => false, [entry('e1', null)])).toEqual({
      kind: 'append',
      added: [entry('e1', null)],
    })
  })

  it('ignores entries it already holds (a replay, or a fetch that had them)', () => {
    const branch = chain(3)
    expect(decideAppend(branch, held(branch), [entry('e2', 'e1'), entry('e3', 'e2')])).toEqual({
      kind: 'unchanged',
    })
    expect(decideAppend(branch, held(branch), [entry('e3', 'e2'), entry('e4', 'e3')])).toEqual({
      kind: 'append',
      added: [entry('e4', 'e3')],
    })
  })

  it('refetches when an entry grows from elsewhere in the tree (a rewind, a fork, a gap)', () => {
    const branch = chain(3)
    expect(decideAppend(branch, held(branch), [entry('x', 'e1')])).toEqual({ kind: 'refetch' })
    expect(decideAppend(branch, held(branch), [entry('e5', 'e4')])).toEqual({ kind: 'refetch' })
    expect(decideAppend([], () => false, [entry('e2', 'e1')])).toEqual({ kind: 'refetch' })
  })
})

describe('entry feed', () => {
  it('delivers each session its new appended entries in order, skipping replays', () => {
    const feed = createEntryFeed()
    const got: string[][] = []
    const other: string[][] = []
    const off = feed.subscribe('s1', (list) => got.push(list.map((e) => e.id)))
    feed.subscribe('s2', (list) => other.push(list.map((e) => e.id)))
    feed.publish(
      [
        appended(entry('e1', null), 1),
        appended(entry('e2', 'e1'), 2),
        appended(entry('f1', null, 's2'), 7),
        {
          type: 'turn.delta',
          ephemeral: true,
          kind: 'text',
          text: 'hi',
          sessionId: 's1',
          seq: 2,
          at: 1,
        },
        appended(entry('e3', 'e2'), 3),
        // The same event again within the batch (a reconnect replay) is not news.
        appended(entry('e3', 'e2'), 3),
      ],
      { s1: 1, s2: 0 },
    )
    // e1 (seq 1) was already applied: the cursor says so.
    expect(got).toEqual([['e2', 'e3']])
    expect(other).toEqual([['f1']])
    off()
    feed.publish([appended(entry('e4', 'e3'), 4)], { s1: 3 })
    expect(got).toHaveLength(1)
  })
})

/** A host whose branch the test controls, answering fetches when told to. */
function fakeHost(initial: Entry[]) {
  let branch = initial
  const pending: Array<() => void> = []
  const feed = createEntryFeed()
  let fetches = 0
  let seq = initial.length
  return {
    feed,
    get fetches() {
      return fetches
    },
    setBranch(next: Entry[]) {
      branch = next
    },
    /** The host appends: the branch grows and the event goes out. */
    append(e: Entry) {
      branch = [...branch, e]
      seq += 1
      feed.publish([appended(e, seq)], {})
    },
    answerFetches() {
      for (const answer of pending.splice(0)) answer()
    },
    store: (sessionId = 's1') =>
      new SessionEntries(sessionId, {
        fetchBranch: () =>
          new Promise<Entry[]>((resolve) => {
            fetches += 1
            // The host answers with its branch as it is when it reads it.
            pending.push(() => resolve(branch))
          }),
        subscribe: (id, listener) => feed.subscribe(id, listener),
        errorMessage: (err) => String(err),
      }),
  }
}

const ids = (store: SessionEntries): string[] => store.getSnapshot().entries.map((e) => e.id)
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('session entries', () => {
  it('loads once, then grows from appended entries without fetching', async () => {
    const host = fakeHost(chain(3))
    const store = host.store()
    store.start()
    store.leafMoved('e3')
    expect(store.getSnapshot().loading).toBe(true)
    host.answerFetches()
    await flush()
    expect(ids(store)).toEqual(['e1', 'e2', 'e3'])
    for (let i = 4; i <= 50; i++) {
      host.append(entry(`e${i}`, `e${i - 1}`))
      store.leafMoved(`e${i}`)
    }
    expect(ids(store)).toHaveLength(50)
    expect(host.fetches).toBe(1)
  })

  it('keeps what arrives during the load and applies it to the answer', async () => {
    const host = fakeHost(chain(2))
    const store = host.store()
    store.start()
    store.leafMoved('e2')
    // e3 lands before the host reads the branch (so the answer has it), e4 after.
    host.append(entry('e3', 'e2'))
    store.leafMoved('e3')
    host.answerFetches()
    await Promise.resolve()
    host.append(entry('e4', 'e3'))
    store.leafMoved('e4')
    await flush()
    expect(ids(store)).toEqual(['e1', 'e2', 'e3', 'e4'])
    expect(host.fetches).toBe(1)
  })

  it('loads the branch again after a rewind, and when an entry grows from elsewhere', async () => {
    const host = fakeHost(chain(4))
    const store = host.store()
    store.start()
    store.leafMoved('e4')
    host.answerFetches()
    await flush()
    // Rewind: the leaf moves back to e2 with no entry appended.
    host.setBranch(chain(2))
    store.leafMoved('e2')
    expect(host.fetches).toBe(2)
    host.answerFetches()
    await flush()
    expect(ids(store)).toEqual(['e1', 'e2'])
    // A fork from e1: not the last entry's child.
    host.append(entry('f2', 'e1'))
    host.setBranch([entry('e1', null), entry('f2', 'e1')])
    expect(host.fetches).toBe(3)
    host.answerFetches()
    await flush()
    expect(ids(store)).toEqual(['e1', 'f2'])
  })

  it('does nothing for an empty session until its first entry, and drops answers after stop', async () => {
    const host = fakeHost([])
    const store = host.store()
    store.start()
    store.leafMoved(null)
    expect(store.getSnapshot()).toMatchObject({ loading: false, loaded: true, entries: [] })
    host.append(entry('e1', null))
    store.leafMoved('e1')
    expect(ids(store)).toEqual(['e1'])
    expect(host.fetches).toBe(0)

    const other = fakeHost(chain(2)).store()
    other.start()
    other.leafMoved('e2')
    other.stop()
    await flush()
    expect(other.getSnapshot()).toMatchObject({ loading: false, entries: [] })
  })

  it('opens a long branch with its latest page, then puts the earlier entries in front', async () => {
    const feed = createEntryFeed()
    const branch = chain(10)
    const asked: Array<{ leafId?: string; limit?: number }> = []
    let release = (): void => {}
    const store = new SessionEntries(
      's1',
      {
        fetchBranch: (_id, opts) => {
          asked.push(opts)
          // The host's rule: the branch ending at leafId (default: the leaf), its last `limit`.
          const end = opts.leafId
            ? branch.findIndex((e) => e.id === opts.leafId) + 1
            : branch.length
          const upTo = branch.slice(0, end)
          const answer = opts.limit ? upTo.slice(-opts.limit) : upTo
          // The earlier part answers when the test says so.
          return opts.leafId
            ? new Promise((resolve) => (release = () => resolve(answer)))
            : Promise.resolve(answer)
        },
        subscribe: (id, l) => feed.subscribe(id, l),
        errorMessage: (err) => String(err),
      },
      4,
    )
    store.start()
    store.leafMoved('e10')
    await flush()
    expect(ids(store)).toEqual(['e7', 'e8', 'e9', 'e10'])
    expect(store.getSnapshot().earlierLoading).toBe(true)
    // An entry appended meanwhile goes at the end as usual.
    feed.publish([appended(entry('e11', 'e10'), 11)], {})
    branch.push(entry('e11', 'e10'))
    release()
    await flush()
    expect(ids(store)).toEqual(branch.map((e) => e.id))
    expect(ids(store)).toHaveLength(11)
    expect(store.getSnapshot().earlierLoading).toBe(false)
    expect(asked).toEqual([{ limit: 4 }, { leafId: 'e6' }])
  })

  it('reports a failed load', async () => {
    const feed = createEntryFeed()
    const store = new SessionEntries('s1', {
      fetchBranch: () => Promise.reject(new Error('connection lost')),
      subscribe: (id, l) => feed.subscribe(id, l),
      errorMessage: (err) => (err instanceof Error ? err.message : String(err)),
    })
    store.start()
    store.leafMoved('e1')
    await flush()
    expect(store.getSnapshot()).toMatchObject({ loading: false, error: 'connection lost' })
  })
})
