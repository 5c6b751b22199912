import { describe, expect, it } from 'vitest'
import type { LiveSession } from '../../src/renderer/src/app/live-state'
import { emptyLive } from '../../src/renderer/src/app/live-state'
import {
  createTransitionTracker,
  marksOf,
  transitionsBetween,
} from '../../src/renderer/src/features/notifications/transitions'
import {
  notifySettingsOf,
  titleWithCount,
  clipText,
} from '../../src/renderer/src/features/notifications/notify-settings'
import { DesktopNotifyRequestSchema, MAX_NOTIFY_TITLE_CHARS } from '../../src/shared/notify-bridge'
import type { Looking } from '../../src/shared/notify-policy'
import {
  createNotifier,
  DEFAULT_NOTIFY_SETTINGS,
  NOTIFY_BATCH_MS,
  notificationText,
} from '../../src/shared/notify-policy'

const idle = emptyLive()
const running: LiveSession = { ...idle, running: true, turn: null, runStartedAt: 100 }
const asking: LiveSession = { ...running, pendingApprovals: ['q1'] }
const finished: LiveSession = { ...idle, lastStop: 'done', runStartedAt: 100 }
const failed: LiveSession = { ...idle, lastStop: 'error', runStartedAt: 100 }
const stopped: LiveSession = { ...idle, lastStop: 'aborted', runStartedAt: 100 }

const away: Looking = { windowFocused: true, visibleSessions: new Set(['other']) }
const lookingAt = (id: string): Looking => ({ windowFocused: true, visibleSessions: new Set([id]) })

describe('the transition tracker', () => {
  it('raises nothing for the first snapshot: what happened before the window opened is old', () => {
    const tracker = createTransitionTracker()
    expect(tracker.update(marksOf(['a', 'b'], { a: failed, b: asking }), 1)).toEqual([])
  })

  it('says running → waiting_approval, and running → idle with the stop that tells a finish', () => {
    const tracker = createTransitionTracker()
    tracker.update(marksOf(['a', 'b'], { a: running, b: running }), 1)
    expect(tracker.update(marksOf(['a', 'b'], { a: asking, b: running }), 2)).toEqual([
      { sessionId: 'a', from: 'running', to: 'waiting_approval', at: 2, lastStop: null },
    ])
    expect(tracker.update(marksOf(['a', 'b'], { a: asking, b: finished }), 3)).toEqual([
      { sessionId: 'b', from: 'running', to: 'idle', at: 3, lastStop: 'done' },
    ])
    // The same state again is no change.
    expect(tracker.update(marksOf(['a', 'b'], { a: asking, b: finished }), 4)).toEqual([])
  })

  it('forgets everything while the host is not there, and starts again from a baseline', () => {
    const tracker = createTransitionTracker()
    tracker.update(marksOf(['a'], { a: running }), 1)
    expect(tracker.update(null, 2)).toEqual([])
    expect(tracker.update(marksOf(['a'], { a: failed }), 3)).toEqual([])
  })

  it('sees a run that started and ended between two snapshots as a change from running', () => {
    const tracker = createTransitionTracker()
    tracker.update(marksOf(['a'], { a: finished }), 1)
    // Another quick run, whole within one store update: idle (done) → idle (done).
    expect(tracker.update(marksOf(['a'], { a: { ...finished, runStartedAt: 200 } }), 2)).toEqual([
      { sessionId: 'a', from: 'running', to: 'idle', at: 2, lastStop: 'done' },
    ])
    // A session first seen after a whole run.
    expect(transitionsBetween(new Map(), marksOf(['n'], { n: finished }), 3)).toEqual([
      { sessionId: 'n', from: 'running', to: 'idle', at: 3, lastStop: 'done' },
    ])
  })

  it('counts a session new since the last snapshot as coming from idle', () => {
    const before = marksOf(['a'], { a: idle })
    const after = marksOf(['a', 'n'], { a: idle, n: { ...idle, lastStop: 'error' } })
    expect(transitionsBetween(before, after, 5)).toEqual([
      { sessionId: 'n', from: 'idle', to: 'failed', at: 5, lastStop: 'error' },
    ])
    // A session without live state yet is idle: nothing to say.
    expect(transitionsBetween(before, marksOf(['a', 'm'], { a: idle }), 5)).toEqual([])
  })
})

describe('tracker and notifier together (what the runtime does)', () => {
  function world(): {
    step(live: Record<string, LiveSession>, looking: Looking): void
    take(looking: Looking): ReturnType<ReturnType<typeof createNotifier>['take']>
    advance(ms: number): void
  } {
    let t = 10_000
    const now = (): number => t
    const tracker = createTransitionTracker()
    const notifier = createNotifier({ now })
    return {
      step(live, looking) {
        for (const tr of tracker.update(marksOf(Object.keys(live), live), now()))
          notifier.observe(tr, looking)
      },
      take: (looking) => notifier.take(looking, DEFAULT_NOTIFY_SETTINGS),
      advance: (ms) => (t += ms),
    }
  }

  it('a hidden session that asks for approval raises one notification after the batch', () => {
    const w = world()
    w.step({ a: running, other: running }, away)
    w.step({ a: asking, other: running }, away)
    expect(w.take(away)).toEqual([])
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(away)).toEqual([{ sessionId: 'a', event: 'approval', at: 10_000, sound: false }])
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(away)).toEqual([])
  })

  it('a hidden session that finishes raises "finished"; one the user stopped raises nothing', () => {
    const w = world()
    w.step({ a: running, b: running }, away)
    w.step({ a: finished, b: stopped }, away)
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(away).map((n) => [n.sessionId, n.event])).toEqual([['a', 'finished']])
  })

  it('a quick run seen only as its end still raises "finished" (and a quick stop nothing)', () => {
    const w = world()
    w.step({ a: idle, b: idle }, away)
    w.step({ a: finished, b: stopped }, away)
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(away).map((n) => [n.sessionId, n.event])).toEqual([['a', 'finished']])
  })

  it('a session on screen in a focused window raises nothing', () => {
    const w = world()
    w.step({ a: running }, lookingAt('a'))
    w.step({ a: failed }, lookingAt('a'))
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(lookingAt('a'))).toEqual([])
  })

  it('a burst of changes of one session makes one notification about where it ended', () => {
    const w = world()
    w.step({ a: running }, away)
    w.step({ a: asking }, away)
    w.step({ a: running }, away)
    w.step({ a: failed }, away)
    w.advance(NOTIFY_BATCH_MS)
    expect(w.take(away).map((n) => n.event)).toEqual(['failed'])
  })
})

describe('notification settings', () => {
  it('are the defaults when unset or unknown, else what is stored', () => {
    expect(notifySettingsOf(null)).toEqual(DEFAULT_NOTIFY_SETTINGS)
    expect(notifySettingsOf({})).toEqual(DEFAULT_NOTIFY_SETTINGS)
    expect(
      notifySettingsOf({ 'notifications.finished': false, 'notifications.sound': true }),
    ).toEqual({ approvalInput: true, finished: false, failed: true, sound: true })
  })

  it('the title counts the sessions waiting on the user', () => {
    expect(titleWithCount('Paddock', 0)).toBe('Paddock')
    expect(titleWithCount('Paddock', 2)).toBe('(2) Paddock')
  })

  it('cuts a long title to what the desktop bridge accepts', () => {
    const title = notificationText('approval', 'x'.repeat(200))
    const cut = clipText(title, MAX_NOTIFY_TITLE_CHARS)
    expect(cut).toHaveLength(MAX_NOTIFY_TITLE_CHARS)
    expect(cut.endsWith('…')).toBe(true)
    expect(
      DesktopNotifyRequestSchema.safeParse({ sessionId: 's', title: cut, body: '' }).success,
    ).toBe(true)
    expect(clipText('short', 10)).toBe('short')
  })
})
