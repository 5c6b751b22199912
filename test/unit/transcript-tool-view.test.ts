import { describe, expect, it } from 'vitest'
import {
  describeArgs,
  toolStatus,
  truncateOutput,
} from '../../src/renderer/src/features/transcript/tool-view'
import type { ToolResultRecord } from '../../src/shared/entries'

const result = (extra: Partial<ToolResultRecord> = {}): ToolResultRecord => ({
  toolCallId: 'c1',
  toolName: 'bash',
  content: 'ok',
  isError: false,
  durationMs: 5,
  ...extra,
})
const request = {
  kind: 'request' as const,
  approvalId: 'a1',
  toolCallId: 'c1',
  tool: 'bash',
  arguments: {},
  reason: 'ask',
  rule: null,
}

describe('tool card status', () => {
  it('follows the result when there is one', () => {
    expect(toolStatus(result(), null, true)).toBe('done')
    expect(toolStatus(result({ isError: true }), null, false)).toBe('error')
    expect(toolStatus(result({ isError: true, synthetic: 'denied' }), null, false)).toBe('denied')
    expect(toolStatus(result({ isError: true, synthetic: 'interrupted' }), null, false)).toBe(
      'interrupted',
    )
    expect(toolStatus(result({ isError: true, synthetic: 'skipped' }), null, true)).toBe('skipped')
  })

  it('waits for approval, runs, or never finished when there is none', () => {
    expect(toolStatus(null, { request, answer: null }, true)).toBe('waiting')
    expect(
      toolStatus(
        null,
        { request, answer: { kind: 'answer', approvalId: 'a1', answer: 'allow_once' } },
        true,
      ),
    ).toBe('running')
    expect(toolStatus(null, null, true)).toBe('running')
    expect(toolStatus(null, null, false)).toBe('unfinished')
    expect(toolStatus(null, { request, answer: null }, false)).toBe('unfinished')
  })
})

describe('tool call arguments', () => {
  it('shows the path for file tools and the command for bash', () => {
    expect(describeArgs('read', '{"path":"README.md","offset":3}').summary).toBe('README.md')
    expect(
      describeArgs('edit', '{"path":"src/math.ts","old_string":"a","new_string":"b"}').summary,
    ).toBe('src/math.ts')
    expect(describeArgs('write', '{"path":"x.txt","content":"hello"}').summary).toBe('x.txt')
    expect(describeArgs('bash', '{"command":"echo hello"}').summary).toBe('echo hello')
    expect(describeArgs('grep', '{"pattern":"TODO","path":"src"}').summary).toBe('TODO in src')
  })

  it('keeps the full JSON, pretty-printed, for the expanded view', () => {
    const view = describeArgs('bash', '{"command":"ls","timeout_ms":500}')
    expect(view.full).toBe('{\n  "command": "ls",\n  "timeout_ms": 500\n}')
  })

  it('copes with other tools, malformed JSON and long values', () => {
    expect(describeArgs('search_web', '{"limit":3,"query":"zod v4"}').summary).toBe('zod v4')
    expect(describeArgs('read', '{"path": "a.ts",').summary).toBe('{"path": "a.ts",')
    expect(describeArgs('read', '{"path": "a.ts",').full).toBe('{"path": "a.ts",')
    const long = describeArgs('bash', JSON.stringify({ command: `echo ${'x'.repeat(500)}\nls` }))
    expect(long.summary.length).toBeLessThanOrEqual(200)
    expect(long.summary.endsWith('…')).toBe(true)
    expect(long.summary).not.toContain('\n')
  })
})

describe('tool output truncation', () => {
  it('shows 20 lines and counts the rest', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n')
    const t = truncateOutput(text)
    expect(t.text.split('\n')).toHaveLength(20)
    expect(t.text.endsWith('line 20')).toBe(true)
    expect(t).toMatchObject({ truncated: true, hiddenLines: 30 })
  })

  it('leaves short output whole (a trailing newline is not a line)', () => {
    expect(truncateOutput('hello\n')).toEqual({ text: 'hello', hiddenLines: 0, truncated: false })
    const twenty = Array.from({ length: 20 }, () => 'x').join('\n')
    expect(truncateOutput(twenty).truncated).toBe(false)
  })

  it('cuts one enormous line by characters', () => {
    const t = truncateOutput('y'.repeat(10_000))
    expect(t.text).toHaveLength(4000)
    expect(t).toMatchObject({ truncated: true, hiddenLines: 0 })
  })
})
