import { describe, expect, it } from 'vitest'
import {
  PREVIEW_MAX_LINES,
  editPreview,
  writePreview,
} from '../../src/renderer/src/features/approvals/preview-lines'

describe('the before → after preview of a change', () => {
  it('shows what an edit removes and adds, with a line of context', () => {
    const before = 'export function add(a, b) {\n  return a + b\n}\n'
    const after = 'export function add(a, b) {\n  return a + b + 0\n}\n'
    const p = editPreview(before, after)
    expect(p).toEqual({
      added: 1,
      removed: 1,
      lines: [
        { kind: 'ctx', text: 'export function add(a, b) {' },
        { kind: 'del', text: '  return a + b' },
        { kind: 'add', text: '  return a + b + 0' },
        { kind: 'ctx', text: '}' },
      ],
    })
  })

  it('folds long unchanged runs between changes', () => {
    const middle = Array.from({ length: 8 }, (_, i) => `keep ${i}`)
    const before = ['a', ...middle, 'z'].join('\n')
    const after = ['A', ...middle, 'Z'].join('\n')
    const kinds = editPreview(before, after).lines.map((l) =>
      l.kind === 'gap' ? `gap${l.count}` : l.kind,
    )
    expect(kinds).toEqual(['del', 'add', 'ctx', 'gap6', 'ctx', 'del', 'add'])
  })

  it('stays within its line budget and says how much more there is', () => {
    const content = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')
    const w = writePreview(content)
    expect(w.added).toBe(100)
    expect(w.lines.filter((l) => l.kind === 'add')).toHaveLength(PREVIEW_MAX_LINES)
    expect(w.lines[w.lines.length - 1]).toEqual({
      kind: 'gap',
      count: 100 - PREVIEW_MAX_LINES,
      reason: 'more',
    })

    const e = editPreview('', content)
    expect(e.added).toBe(100)
    expect(e.lines.filter((l) => l.kind !== 'gap')).toHaveLength(PREVIEW_MAX_LINES)
  })

  it('treats CRLF like LF and an empty file as no lines', () => {
    expect(editPreview('a\r\nb\r\n', 'a\nc\n').lines).toEqual([
      { kind: 'ctx', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'add', text: 'c' },
    ])
    expect(writePreview('')).toEqual({ lines: [], added: 0, removed: 0 })
  })
})
