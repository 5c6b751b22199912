import { describe, expect, it } from 'vitest'
import type { AgentState } from '../../src/shared/agent-state'
import type { Looking, NotifySettings, StateTransition } from '../../src/shared/notify-policy'
import {
  createNotifier,
  DEFAULT_NOTIFY_SETTINGS,
  eventOf,
  NOTIFY_BATCH_MS,
  notificationText,
} from '../../src/shared/notify-policy'

const away: Looking = { windowFocused: false, visibleSessions: new Set(['a']) }
const lookingAt = (...ids: string[]): Looking => ({
  windowFocused: true,
  visibleSessions: new Set(ids),
})
const all: NotifySettings = { ...DEFAULT_NOTIFY_SETTINGS, sound: true }

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start
  return { now: () => t, advance: (ms) => (t += ms) }
}

const tr = (
  sessionId: string,
  from: AgentState,
  to: AgentState,
  at = 1_000,
  lastStop: StateTransition['lastStop'] = null,
): StateTransition => ({ sessionId, from, to, at, lastStop })

describe('eventOf', () => {
  it('notifies on reaching a waiting state, a failure or a finish', () => {
    expect(eventOf(tr('a', 'running', 'waiting_approval'))).toBe('approval')
    expect(eventOf(tr('a', 'running', 'waiting_input'))).toBe('input')
    expect(eventOf(tr('a', 'running', 'failed'))).toBe('failed')
    expect(eventOf(tr('a', 'running', 'finished_unreviewed'))).toBe('finished')
    expect(eventOf(tr('a', 'running', 'idle', 1, 'done'))).toBe('finished')
  })

  it('stays quiet for a start, a stop the user asked for, or no change', () => {
    expect(eventOf(tr('a', 'idle', 'running'))).toBeNull()
    expect(eventOf(tr('a', 'waiting_approval', 'running'))).toBeNull()
    expect(eventOf(tr('a', 'running', 'idle', 1, 'aborted'))).toBeNull()
    expect(eventOf(tr('a', 'failed', 'failed'))).toBeNull()
    expect(eventOf(tr('a', 'finished_unreviewed', 'idle', 1, 'done'))).toBeNull()
  })
})

describe('createNotifier', () => {
  it('gathers a batch for ~2 s and then raises one notification per session', () => {
    const c = clock()
    const n = createNotifier({ now: c.now })
    n.observe(tr('a', 'running', 'waiting_approval'), away)
    expect(n.dueAt()).toBe(1_000 + NOTIFY_BATCH_MS)
    c.advance(500)
    n.observe(tr('b', 'running', 'failed', 1_500), away)
    n.observe(tr('b', 'failed', 'failed', 1_600), away)
    expect(n.take(away, all)).toEqual([])
    c.advance(NOTIFY_BATCH_MS)
    const out = n.take(away, all)
    expect(out.map((x) => [x.sessionId, x.event])).toEqual([
      ['a', 'approval'],
      ['b', 'failed'],
    ])
    // One sound per batch, with its first notification.
    expect(out.map((x) => x.sound)).toEqual([true, false])
    expect(n.dueAt()).toBeNull()
    expect(n.take(away, all)).toEqual([])
  })

  it('tells only what is still true at the end of the batch', () => {
    const c = clock()
    const n = createNotifier({ now: c.now })
    n.observe(tr('a', 'running', 'waiting_approval'), away)
    n.observe(tr('a', 'waiting_approval', 'running'), away)
    n.observe(tr('b', 'running', 'waiting_approval'), away)
    n.observe(tr('b', 'waiting_approval', 'running'), away)
    n.observe(tr('b', 'running', 'finished_unreviewed'), away)
    c.advance(NOTIFY_BATCH_MS)
    expect(n.take(away, all).map((x) => [x.sessionId, x.event])).toEqual([['b', 'finished']])
  })

  it('never notifies about a session the user is looking at', () => {
    const c = clock()
    const n = createNotifier({ now: c.now })
    // Focused on a: a's change is seen as it happens; b is in the background.
    n.observe(tr('a', 'running', 'failed'), lookingAt('a'))
    n.observe(tr('b', 'running', 'failed'), lookingAt('a'))
    c.advance(NOTIFY_BATCH_MS)
    expect(n.take(lookingAt('a'), all).map((x) => x.sessionId)).toEqual(['b'])

    // The user brought b on screen before the batch was due: nothing to say.
    n.observe(tr('b', 'idle', 'running'), away)
    n.observe(tr('b', 'running', 'waiting_input'), away)
    c.advance(NOTIFY_BATCH_MS)
    expect(n.take(lookingAt('b'), all)).toEqual([])
  })

  it('notifies about a visible session when the window is not focused', () => {
    const c = clock()
    const n = createNotifier({ now: c.now })
    n.observe(tr('a', 'running', 'idle', 1_000, 'done'), away)
    c.advance(NOTIFY_BATCH_MS)
    expect(n.take(away, all).map((x) => [x.sessionId, x.event])).toEqual([['a', 'finished']])
  })

  it('follows the settings: which events notify, and the sound', () => {
    const c = clock()
    const n = createNotifier({ now: c.now })
    const quiet: NotifySettings = {
      approvalInput: true,
      finished: false,
      failed: false,
      sound: false,
    }
    n.observe(tr('a', 'running', 'finished_unreviewed'), away)
    n.observe(tr('b', 'running', 'failed'), away)
    n.observe(tr('c', 'running', 'waiting_input'), away)
    c.advance(NOTIFY_BATCH_MS)
    const out = n.take(away, quiet)
    expect(out.map((x) => [x.sessionId, x.event, x.sound])).toEqual([['c', 'input', false]])
  })

  it('opens no batch for changes that notify nothing', () => {
    const c = clock()
    const n = createNotifier({ now: c.now, batchMs: 100 })
    n.observe(tr('a', 'idle', 'running'), away)
    expect(n.dueAt()).toBeNull()
    c.advance(100)
    expect(n.take(away, all)).toEqual([])
  })

  it('words a notification', () => {
    expect(notificationText('approval', 'Alpha')).toBe('Alpha is waiting for your approval')
    expect(notificationText('finished', 'Alpha')).toBe('Alpha finished')
  })
})
