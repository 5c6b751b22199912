/**
 * The compact before → after preview of a file change waiting for approval: the lines an `edit`
 * removes and adds (a small line diff of old_string → new_string, unchanged runs folded), or the
 * first lines of what a `write` puts in the file. Pure, and bounded whatever the input size.
 */

export type PreviewLine =
  | { kind: 'del' | 'add' | 'ctx'; text: string }
  /** Lines left out: folded unchanged lines, or the rest beyond the preview's budget. */
  | { kind: 'gap'; count: number; reason: 'unchanged' | 'more' }

export interface ChangePreview {
  lines: PreviewLine[]
  added: number
  removed: number
}

/** Lines shown at most (gaps excluded). */
export const PREVIEW_MAX_LINES = 14
/** Unchanged lines kept around a change. */
const CONTEXT = 1
/** Above this many lines on either side the diff is not computed: all old, then all new. */
const DIFF_MAX_LINES = 400

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

/** Longest-common-subsequence line diff; fine for the small strings an edit replaces. */
function diffLines(a: string[], b: string[]): Array<{ kind: 'del' | 'add' | 'ctx'; text: string }> {
  if (a.length > DIFF_MAX_LINES || b.length > DIFF_MAX_LINES) {
    return [
      ...a.map((text) => ({ kind: 'del' as const, text })),
      ...b.map((text) => ({ kind: 'add' as const, text })),
    ]
  }
  const n = a.length
  const m = b.length
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: Array<{ kind: 'del' | 'add' | 'ctx'; text: string }> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: 'ctx', text: a[i]! })
      i++
      j++
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push({ kind: 'add', text: b[j]! })
      j++
    } else {
      out.push({ kind: 'del', text: a[i]! })
      i++
    }
  }
  // Show removals before additions within each changed run, as diffs read best.
  const ordered: typeof out = []
  let run: typeof out = []
  const flush = (): void => {
    ordered.push(...run.filter((l) => l.kind === 'del'), ...run.filter((l) => l.kind === 'add'))
    run = []
  }
  for (const line of out) {
    if (line.kind === 'ctx') {
      flush()
      ordered.push(line)
    } else run.push(line)
  }
  flush()
  return ordered
}

/** Fold unchanged runs to CONTEXT lines around changes, then cut to the line budget. */
function compact(lines: Array<{ kind: 'del' | 'add' | 'ctx'; text: string }>): PreviewLine[] {
  const keep = lines.map((l, i) => {
    if (l.kind !== 'ctx') return true
    for (let d = -CONTEXT; d <= CONTEXT; d++) {
      const near = lines[i + d]
      if (near && near.kind !== 'ctx') return true
    }
    return false
  })
  const folded: PreviewLine[] = []
  let skipped = 0
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped) folded.push({ kind: 'gap', count: skipped, reason: 'unchanged' })
      skipped = 0
      folded.push(l)
    } else skipped++
  })
  if (skipped) folded.push({ kind: 'gap', count: skipped, reason: 'unchanged' })
  const out: PreviewLine[] = []
  let shown = 0
  let rest = 0
  for (const l of folded) {
    if (shown >= PREVIEW_MAX_LINES) {
      rest += l.kind === 'gap' ? l.count : 1
      continue
    }
    out.push(l)
    if (l.kind !== 'gap') shown++
  }
  if (rest) out.push({ kind: 'gap', count: rest, reason: 'more' })
  return out
}

/** Preview of an edit: what old_string → new_string removes and adds. */
export function editPreview(oldString: string, newString: string): ChangePreview {
  const lines = diffLines(splitLines(oldString), splitLines(newString))
  return {
    lines: compact(lines),
    added: lines.filter((l) => l.kind === 'add').length,
    removed: lines.filter((l) => l.kind === 'del').length,
  }
}

/** Preview of a write: the first lines of the new content. */
export function writePreview(content: string): ChangePreview {
  const all = splitLines(content)
  const lines: PreviewLine[] = all
    .slice(0, PREVIEW_MAX_LINES)
    .map((text) => ({ kind: 'add' as const, text }))
  if (all.length > PREVIEW_MAX_LINES) {
    lines.push({ kind: 'gap', count: all.length - PREVIEW_MAX_LINES, reason: 'more' })
  }
  return { lines, added: all.length, removed: 0 }
}
