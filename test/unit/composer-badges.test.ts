import { describe, expect, it } from 'vitest'
import type { Entry } from '../../src/shared/model'
import type { PaddockEvent } from '../../src/shared/events'
import type { LiveSession } from '../../src/renderer/src/app/live-state'
import {
  agentStateOfLive,
  badgeDescription,
  badgeOf,
  emptyLive,
  factsOf,
  foldLiveEvent,
} from '../../src/renderer/src/app/live-state'

const live = (over: Partial<LiveSession>): LiveSession => ({ ...emptyLive(), ...over })

let seq = 0
function appended(type: Entry['type'], payload: unknown): PaddockEvent {
  seq += 1
  return {
    type: 'entry.appended',
    sessionId: 's1',
    seq,
    at: 1000 + seq,
    entry: {
      id: `e${seq}`,
      parentId: null,
      sessionId: 's1',
      type,
      payload,
      createdAt: 1000 + seq,
    },
  } as PaddockEvent
}

/** Payloads as the host writes them (the fold reads them through `parseEntry`). */
const request = (approvalId: string): unknown => ({
  kind: 'request',
  approvalId,
  toolCallId: `call-${approvalId}`,
  tool: 'bash',
  arguments: { command: 'npm test' },
  reason: 'ask',
  rule: null,
})
const answer = (approvalId: string): unknown => ({
  kind: 'answer',
  approvalId,
  answer: 'allow_once',
})
const reply = (toolCalls: Array<{ id: string; name: string; arguments: string }>): unknown => ({
  content: toolCalls.length ? '' : 'hi',
  reasoning: '',
  toolCalls,
  finishReason: toolCalls.length ? 'tool_calls' : 'stop',
  usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
  model: 'm',
})

function state(s: 'requesting' | 'tool' | 'idle', toolCallId?: string): PaddockEvent {
  return {
    type: 'turn.state',
    sessionId: 's1',
    seq: 1,
    at: 2000,
    ephemeral: true,
    state: s,
    ...(toolCallId ? { toolCallId } : {}),
  }
}

describe('session badges', () => {
  it('shows the most urgent state: approval, running, error, done, unread', () => {
    expect(badgeOf(undefined)).toBeNull()
    expect(badgeOf(live({}))).toBeNull()
    expect(badgeOf(live({ running: true, pendingApprovals: ['a'], unread: true }))).toBe('approval')
    expect(badgeOf(live({ running: true, lastStop: 'error', unread: true }))).toBe('running')
    expect(badgeOf(live({ lastStop: 'error', unread: true }))).toBe('error')
    expect(badgeOf(live({ lastStop: 'done', unread: true }))).toBe('done')
    expect(badgeOf(live({ lastStop: 'aborted', unread: true }))).toBe('unread')
    expect(badgeOf(live({ unread: true }))).toBe('unread')
  })

  it('keeps an error after it was seen, but a clean finish only while unread', () => {
    expect(badgeOf(live({ lastStop: 'error', unread: false }))).toBe('error')
    expect(badgeOf(live({ lastStop: 'context_overflow' }))).toBe('error')
    expect(badgeOf(live({ lastStop: 'done', unread: false }))).toBeNull()
    expect(badgeOf(live({ lastStop: 'aborted', unread: false }))).toBeNull()
  })

  it('describes the badge in words, with the number of questions', () => {
    expect(badgeDescription('approval', live({ pendingApprovals: ['a', 'b'] }))).toBe(
      'needs approval (2)',
    )
    expect(badgeDescription('approval', live({ pendingApprovals: ['a'] }))).toBe('needs approval')
    expect(badgeDescription('running', live({ running: true }))).toBe('running')
    expect(badgeDescription('done', live({ unread: true }))).toBe('done, unread')
  })

  it('turns a background run into running, then done and unread', () => {
    let s = foldLiveEvent(emptyLive(), state('requesting'), false)
    expect(badgeOf(s)).toBe('running')
    s = foldLiveEvent(s, appended('assistant_message', reply([])), false)
    s = foldLiveEvent(s, appended('turn_end', { reason: 'done' }), false)
    s = foldLiveEvent(s, state('idle'), false)
    expect(badgeOf(s)).toBe('done')
    // The same run in the tab on screen leaves nothing to read.
    let a = foldLiveEvent(emptyLive(), state('requesting'), true)
    a = foldLiveEvent(a, appended('turn_end', { reason: 'done' }), true)
    expect(badgeOf(a)).toBeNull()
  })

  it('counts approval questions until they are answered', () => {
    let s = foldLiveEvent(emptyLive(), state('requesting'), true)
    s = foldLiveEvent(s, appended('approval', request('q1')), true)
    s = foldLiveEvent(s, appended('approval', request('q2')), true)
    expect(badgeOf(s)).toBe('approval')
    expect(badgeDescription('approval', s)).toBe('needs approval (2)')
    s = foldLiveEvent(s, appended('approval', answer('q1')), true)
    s = foldLiveEvent(s, appended('approval', answer('q2')), true)
    expect(badgeOf(s)).toBe('running')
  })

  it('names the running tool from the answer that called it', () => {
    let s = foldLiveEvent(
      emptyLive(),
      appended('assistant_message', reply([{ id: 'c1', name: 'bash', arguments: '{}' }])),
      true,
    )
    s = foldLiveEvent(s, state('tool', 'c1'), true)
    expect(s.turn?.toolName).toBe('bash')
  })

  it('drops a queued steer or follow-up when the log takes it in, and all of them when the run ends', () => {
    let s = live({
      running: true,
      queued: [
        { id: '1', kind: 'steer', text: 'use tabs' },
        { id: '2', kind: 'follow_up', text: 'then test' },
        { id: '3', kind: 'follow_up', text: 'and commit' },
      ],
    })
    s = foldLiveEvent(s, appended('user_message', { kind: 'steer', text: 'use tabs' }), true)
    expect(s.queued.map((q) => q.id)).toEqual(['2', '3'])
    s = foldLiveEvent(s, appended('user_message', { kind: 'follow_up', text: 'and commit' }), true)
    expect(s.queued.map((q) => q.id)).toEqual(['2'])
    // A prompt is not a queued message.
    s = foldLiveEvent(s, appended('user_message', { kind: 'prompt', text: 'then test' }), true)
    expect(s.queued.map((q) => q.id)).toEqual(['2'])
    s = foldLiveEvent(s, appended('turn_end', { reason: 'aborted' }), true)
    expect(s.queued).toEqual([])
  })
})

describe('live facts for the shared state model', () => {
  const checkpoint = (filesTotal: number, ownChanges = true): unknown => ({
    taken: true,
    id: 'a'.repeat(40),
    ref: 'refs/paddock/s1/1',
    baseline: false,
    files: [],
    filesTotal,
    additions: 1,
    deletions: 0,
    unprotected: [],
    unprotectedTotal: 0,
    ownChanges,
    reason: 'turn-end',
    turnId: null,
    anchorId: null,
    durationMs: 3,
  })
  const say = (content: string): unknown => ({ ...(reply([]) as object), content })

  it('waits for input when the final answer asks, until the next prompt', () => {
    let s = foldLiveEvent(emptyLive(), state('requesting'), false)
    s = foldLiveEvent(s, appended('assistant_message', say('Shall I add tests too?')), false)
    s = foldLiveEvent(s, appended('turn_end', { reason: 'done' }), false)
    expect(agentStateOfLive(s)).toBe('waiting_input')
    expect(badgeOf(s)).toBe('input')
    expect(badgeDescription('input', s)).toBe('waiting for input, unread')
    s = foldLiveEvent(s, appended('user_message', { kind: 'prompt', text: 'yes' }), false)
    expect(s.endedAsking).toBe(false)
  })

  it('a spend cap or the turn limit waits for input, read or not', () => {
    expect(badgeOf(live({ lastStop: 'spend_cap' }))).toBe('input')
    expect(badgeOf(live({ lastStop: 'max_turns' }))).toBe('input')
  })

  it('finishes with unreviewed changes only when they landed off screen', () => {
    let s = foldLiveEvent(emptyLive(), state('requesting'), false)
    s = foldLiveEvent(s, appended('checkpoint', checkpoint(2)), false)
    s = foldLiveEvent(s, appended('turn_end', { reason: 'done' }), false)
    expect(s.changed).toBe(true)
    expect(agentStateOfLive(s)).toBe('finished_unreviewed')
    expect(badgeOf(s)).toBe('done')
    // Seen as they happened: nothing to review.
    let a = foldLiveEvent(emptyLive(), appended('checkpoint', checkpoint(2)), true)
    a = foldLiveEvent(a, appended('turn_end', { reason: 'done' }), true)
    expect(agentStateOfLive(a)).toBe('idle')
    // What changed between runs (not the agent's doing) is not its change to review.
    const b = foldLiveEvent(emptyLive(), appended('checkpoint', checkpoint(2, false)), false)
    expect(b.changed).toBe(false)
  })

  it('keeps the last activity, the run start and the current tool', () => {
    let s = foldLiveEvent(
      emptyLive(),
      appended('assistant_message', reply([{ id: 'c1', name: 'bash', arguments: '{}' }])),
      true,
    )
    const at = s.lastActivityAt
    expect(at).not.toBeNull()
    s = foldLiveEvent(s, state('tool', 'c1'), true)
    expect(s.runStartedAt).toBe(2000)
    expect(s.lastActivityAt).toBe(2000)
    expect(factsOf(s)).toMatchObject({ running: true, turnState: 'tool', toolName: 'bash' })
  })
})
