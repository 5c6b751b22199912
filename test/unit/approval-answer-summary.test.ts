import { describe, expect, it } from 'vitest'
import type { ApprovalAnswer } from '../../src/shared/entries'
import { ApprovalAnswerPayload } from '../../src/shared/entries'
import { answerSummary, spendText } from '../../src/renderer/src/features/approvals/describe'

const answer = (a: Omit<ApprovalAnswer, 'kind' | 'approvalId'>): ApprovalAnswer =>
  // Parsed like an entry read from the log, so the cases stay valid payloads.
  ApprovalAnswerPayload.parse({ kind: 'answer', approvalId: 'a1', ...a })

describe('the one-line record of an answered approval', () => {
  it('says how each answer ended, each with its own tone', () => {
    const cases: Array<[ApprovalAnswer, string, string]> = [
      [answer({ answer: 'allow_once' }), 'Approved', 'approved'],
      [
        answer({
          answer: 'allow_session',
          rule: { tool: 'bash', pattern: 'touch x.txt', action: 'allow' },
        }),
        'Approved for this session (rule bash: touch x.txt)',
        'session',
      ],
      [
        answer({ answer: 'deny', feedback: '  use a test instead ' }),
        'Rejected: use a test instead',
        'rejected',
      ],
      [answer({ answer: 'deny' }), 'Rejected', 'rejected'],
      [answer({ answer: 'deny_stop' }), 'Rejected and stopped', 'stopped'],
      [answer({ answer: 'allow_once', coveredBy: 'a0' }), 'Settled by a session rule', 'settled'],
      [answer({ answer: 'deny', withdrawn: true }), 'Withdrawn — the run moved on', 'withdrawn'],
    ]
    for (const [a, text, tone] of cases) expect(answerSummary(a)).toEqual({ text, tone })
    const tones = new Set(cases.map(([a]) => answerSummary(a).tone))
    expect(tones.size).toBe(6)
  })

  it('describes a spend approval by the limits it set', () => {
    expect(spendText({ sessionLimitUsd: 4, dayLimitUsd: 40.5 })).toBe(
      'You allowed spending past the cap: up to $4.00 for this session, $40.50 today.',
    )
    expect(spendText({ sessionLimitUsd: 0.0125 })).toBe(
      'You allowed spending past the cap: up to $0.0125 for this session.',
    )
    expect(spendText({})).toBe('You allowed spending past the cap.')
  })
})
