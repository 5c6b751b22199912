/**
 * Line diffs: Myers' O(ND) algorithm in linear space (the middle-snake bisection, as in
 * diff-match-patch), on lines interned to integers, after trimming the common prefix and suffix —
 * so a 5k-line file with a few edits costs about as much as reading it. Produces +/− counts and
 * unified diffs in git's format.
 */

/** How many bytes git looks at to decide a file is binary (a NUL byte among them). */
const BINARY_SNIFF = 8000

export function isBinary(data: Buffer): boolean {
  return data.subarray(0, BINARY_SNIFF).includes(0)
}

export interface Lines {
  /** Line texts without their `\n`. */
  text: string[]
  /** Whether the last line ends without a newline. */
  noEol: boolean
}

export function splitLines(data: Buffer): Lines {
  if (data.length === 0) return { text: [], noEol: false }
  const text = data.toString('utf8').split('\n')
  const noEol = text[text.length - 1] !== ''
  if (!noEol) text.pop()
  return { text, noEol }
}

/** Matched line pairs (index in a, index in b), increasing in both. */
export interface Matches {
  a: number[]
  b: number[]
}

function intern(a: Lines, b: Lines): [Int32Array, Int32Array] {
  const ids = new Map<string, number>()
  const map = (lines: Lines): Int32Array => {
    const out = new Int32Array(lines.text.length)
    for (let i = 0; i < lines.text.length; i++) {
      // A last line without a newline differs from the same text with one.
      const key =
        lines.noEol && i === lines.text.length - 1 ? `${lines.text[i]}\0noeol` : lines.text[i]!
      let id = ids.get(key)
      if (id === undefined) {
        id = ids.size
        ids.set(key, id)
      }
      out[i] = id
    }
    return out
  }
  return [map(a), map(b)]
}

export function matchLines(a: Lines, b: Lines): Matches {
  const [x, y] = intern(a, b)
  // A line that never occurs on the other side cannot be matched: leave it out of the search
  // (as git's xdiff does), so a rewrite of a whole file costs a pass, not O(N·D).
  const inX = new Set(x)
  const inY = new Set(y)
  const keepX: number[] = []
  const keepY: number[] = []
  for (let i = 0; i < x.length; i++) if (inY.has(x[i]!)) keepX.push(i)
  for (let j = 0; j < y.length; j++) if (inX.has(y[j]!)) keepY.push(j)
  const xs = Int32Array.from(keepX, (i) => x[i]!)
  const ys = Int32Array.from(keepY, (j) => y[j]!)
  const found: Matches = { a: [], b: [] }
  diffRange(xs, 0, xs.length, ys, 0, ys.length, found)
  return { a: found.a.map((i) => keepX[i]!), b: found.b.map((j) => keepY[j]!) }
}

function diffRange(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  out: Matches,
): void {
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
    out.a.push(aLo++)
    out.b.push(bLo++)
  }
  let suffix = 0
  while (aLo < aHi - suffix && bLo < bHi - suffix && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) {
    suffix++
  }
  aHi -= suffix
  bHi -= suffix
  if (aLo < aHi && bLo < bHi) {
    const split = bisect(a, aLo, aHi, b, bLo, bHi)
    if (split) {
      diffRange(a, aLo, split[0], b, bLo, split[1], out)
      diffRange(a, split[0], aHi, b, split[1], bHi, out)
    }
  }
  for (let i = 0; i < suffix; i++) {
    out.a.push(aHi + i)
    out.b.push(bHi + i)
  }
}

/** A point (in absolute indexes) on an optimal edit path, or null when nothing matches. */
function bisect(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
): [number, number] | null {
  const n = aHi - aLo
  const m = bHi - bLo
  const maxD = Math.ceil((n + m) / 2)
  const off = maxD
  const len = 2 * maxD + 2
  const v1 = new Int32Array(len).fill(-1)
  const v2 = new Int32Array(len).fill(-1)
  v1[off + 1] = 0
  v2[off + 1] = 0
  const delta = n - m
  const front = delta % 2 !== 0
  let k1start = 0
  let k1end = 0
  let k2start = 0
  let k2end = 0
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1o = off + k1
      let x1 =
        k1 === -d || (k1 !== d && v1[k1o - 1]! < v1[k1o + 1]!) ? v1[k1o + 1]! : v1[k1o - 1]! + 1
      let y1 = x1 - k1
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1++
        y1++
      }
      v1[k1o] = x1
      if (x1 > n) k1end += 2
      else if (y1 > m) k1start += 2
      else if (front) {
        const k2o = off + delta - k1
        if (k2o >= 0 && k2o < len && v2[k2o] !== -1 && x1 >= n - v2[k2o]!) {
          return [aLo + x1, bLo + y1]
        }
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2o = off + k2
      let x2 =
        k2 === -d || (k2 !== d && v2[k2o - 1]! < v2[k2o + 1]!) ? v2[k2o + 1]! : v2[k2o - 1]! + 1
      let y2 = x2 - k2
      while (x2 < n && y2 < m && a[aHi - 1 - x2] === b[bHi - 1 - y2]) {
        x2++
        y2++
      }
      v2[k2o] = x2
      if (x2 > n) k2end += 2
      else if (y2 > m) k2start += 2
      else if (!front) {
        const k1o = off + delta - k2
        if (k1o >= 0 && k1o < len && v1[k1o] !== -1) {
          const x1 = v1[k1o]!
          const y1 = off + x1 - k1o
          if (x1 >= n - x2) return [aLo + x1, bLo + y1]
        }
      }
    }
  }
  return null
}

export interface ChangeCounts {
  additions: number
  deletions: number
}

export function countLineChanges(oldData: Buffer, newData: Buffer): ChangeCounts {
  const a = splitLines(oldData)
  const b = splitLines(newData)
  const common = matchLines(a, b).a.length
  return { additions: b.text.length - common, deletions: a.text.length - common }
}

export interface UnifiedDiff extends ChangeCounts {
  /** Hunks only (`@@ … @@` and their lines), no `---`/`+++` header. Empty when equal. */
  hunks: string
}

/** Unified diff hunks with `context` lines around each change, as `git diff -U<context>`. */
export function unifiedHunks(oldData: Buffer, newData: Buffer, context = 3): UnifiedDiff {
  const a = splitLines(oldData)
  const b = splitLines(newData)
  const matches = matchLines(a, b)
  // Walk the edit script as runs: equal, or a block of deletions then insertions.
  type Op = { kind: ' ' | '-' | '+'; line: number }
  const ops: Op[] = []
  let i = 0
  let j = 0
  for (let k = 0; k <= matches.a.length; k++) {
    const ma = k < matches.a.length ? matches.a[k]! : a.text.length
    const mb = k < matches.b.length ? matches.b[k]! : b.text.length
    while (i < ma) ops.push({ kind: '-', line: i++ })
    while (j < mb) ops.push({ kind: '+', line: j++ })
    if (k < matches.a.length) {
      ops.push({ kind: ' ', line: i })
      i++
      j++
    }
  }
  const out: string[] = []
  let additions = 0
  let deletions = 0
  let at = 0
  while (at < ops.length) {
    while (at < ops.length && ops[at]!.kind === ' ') at++
    if (at >= ops.length) break
    // Extend the hunk while the gap between changes is at most 2 × context.
    let start = Math.max(0, at - context)
    while (start > 0 && ops[start - 1]!.kind !== ' ') start--
    let end = at
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++
      let gap = end
      while (gap < ops.length && ops[gap]!.kind === ' ') gap++
      if (gap < ops.length && gap - end <= 2 * context) end = gap
      else {
        end = Math.min(ops.length, end + context)
        break
      }
    }
    const hunk = ops.slice(start, end)
    const firstA = oldLineIndex(ops, start)
    const firstB = newLineIndex(ops, start)
    const countA = hunk.filter((o) => o.kind !== '+').length
    const countB = hunk.filter((o) => o.kind !== '-').length
    out.push(`@@ -${range(firstA, countA)} +${range(firstB, countB)} @@`)
    for (const op of hunk) {
      const src = op.kind === '+' ? b : a
      out.push(op.kind + src.text[op.line]!)
      if (src.noEol && op.line === src.text.length - 1) out.push('\\ No newline at end of file')
      if (op.kind === '+') additions++
      else if (op.kind === '-') deletions++
    }
    at = end
  }
  return { additions, deletions, hunks: out.length ? `${out.join('\n')}\n` : '' }
}

/** 0-based index in a of the first line at or after ops[at]. */
function oldLineIndex(ops: Array<{ kind: string; line: number }>, at: number): number {
  for (let k = at; k < ops.length; k++) if (ops[k]!.kind !== '+') return ops[k]!.line
  let count = 0
  for (const op of ops) if (op.kind !== '+') count++
  return count
}

function newLineIndex(ops: Array<{ kind: string; line: number }>, at: number): number {
  for (let k = at; k < ops.length; k++) if (ops[k]!.kind !== '-') return ops[k]!.line
  let count = 0
  for (const op of ops) if (op.kind !== '-') count++
  return count
}

/** `start,count` (1-based); an empty range names the line before it, as diff does. */
function range(first0: number, count: number): string {
  if (count === 0) return `${first0},0`
  if (count === 1) return `${first0 + 1}`
  return `${first0 + 1},${count}`
}
