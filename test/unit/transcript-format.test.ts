import { describe, expect, it } from 'vitest'
import {
  formatCost,
  formatCountdown,
  formatDuration,
  formatTokens,
  secondsUntil,
  stopAnnouncement,
} from '../../src/renderer/src/features/transcript/format'
import { announcementFor } from '../../src/renderer/src/features/transcript/announce'
import { safeLinkUrl } from '../../src/renderer/src/features/transcript/safe-url'

describe('transcript numbers', () => {
  it('formats token counts compactly', () => {
    expect(formatTokens(0)).toBe('0')
    expect(formatTokens(950)).toBe('950')
    expect(formatTokens(12_345)).toBe('12.3k')
    expect(formatTokens(2_000)).toBe('2k')
    expect(formatTokens(128_000)).toBe('128k')
    expect(formatTokens(1_047_576)).toBe('1.05M')
    expect(formatTokens(-1)).toBe('?')
  })

  it('formats costs with the precision small amounts need', () => {
    expect(formatCost(0)).toBe('$0.00')
    expect(formatCost(0.00421)).toBe('$0.0042')
    expect(formatCost(0.05)).toBe('$0.05')
    expect(formatCost(1.234)).toBe('$1.23')
    expect(formatCost(150.4)).toBe('$150')
  })

  it('formats durations', () => {
    expect(formatDuration(420)).toBe('420 ms')
    expect(formatDuration(1_200)).toBe('1.2 s')
    expect(formatDuration(3_000)).toBe('3 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    expect(formatDuration(120_000)).toBe('2 min')
  })

  it('counts down to a retry in whole seconds, rounding up, never below zero', () => {
    const now = 1_000_000
    expect(secondsUntil(now + 4_001, now)).toBe(5)
    expect(secondsUntil(now + 4_000, now)).toBe(4)
    expect(formatCountdown(now + 4_500, now)).toBe('in 5 s')
    expect(formatCountdown(now + 65_000, now)).toBe('in 1 min 5 s')
    expect(formatCountdown(now + 120_000, now)).toBe('in 2 min')
    expect(formatCountdown(now - 10, now)).toBe('now')
  })
})

describe('transcript announcements', () => {
  const entry = (type: 'assistant_message' | 'turn_end' | 'tool_result', payload: unknown) => ({
    id: 'e1',
    parentId: null,
    sessionId: 's1',
    type,
    payload,
    createdAt: 1,
  })
  const usage = { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 }

  it('says when a message completes or a run stops, and nothing otherwise', () => {
    const msg = {
      content: 'Done.',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage,
      model: 'm',
    }
    expect(announcementFor(entry('assistant_message', msg))).toBe('Agent replied')
    expect(announcementFor(entry('assistant_message', { ...msg, content: '' }))).toBeNull()
    expect(announcementFor(entry('assistant_message', { ...msg, partial: true }))).toBeNull()
    expect(announcementFor(entry('turn_end', { reason: 'done' }))).toBe('Run finished')
    expect(announcementFor(entry('turn_end', { reason: 'error', message: 'HTTP 500' }))).toBe(
      'Run stopped: failed. HTTP 500',
    )
    expect(
      announcementFor(
        entry('tool_result', {
          toolCallId: 'c',
          toolName: 'ls',
          content: '',
          isError: false,
          durationMs: 1,
        }),
      ),
    ).toBeNull()
    expect(stopAnnouncement('max_turns', null)).toBe('Run stopped: max turns reached')
  })
})

describe('links in markdown', () => {
  it('allows http(s) and mailto only', () => {
    expect(safeLinkUrl('https://example.com/a?b=1')).toBe('https://example.com/a?b=1')
    expect(safeLinkUrl('http://localhost:3000')).toBe('http://localhost:3000/')
    expect(safeLinkUrl('mailto:dev@example.com')).toBe('mailto:dev@example.com')
  })

  it('refuses script, data, file and relative URLs, however they are disguised', () => {
    expect(safeLinkUrl('javascript:alert(1)')).toBeNull()
    expect(safeLinkUrl('  JavaScript:alert(1)')).toBeNull()
    expect(safeLinkUrl('java\tscript:alert(1)')).toBeNull()
    expect(safeLinkUrl('data:text/html,<script>alert(1)</script>')).toBeNull()
    expect(safeLinkUrl('file:///etc/passwd')).toBeNull()
    expect(safeLinkUrl('/settings')).toBeNull()
    expect(safeLinkUrl('#top')).toBeNull()
  })
})
