/**
 * The frontmatter of a `SKILL.md`: the block between a first line `---` and the next `---`, read
 * as the small subset of YAML skills use — `key: value` lines with plain, single- or
 * double-quoted scalars, and `>` / `|` block scalars. Keys Paddock does not use (`license`,
 * `metadata`, `allowed-tools`, …) are skipped with their indented lines. Anything else is a
 * problem reported with its line, never an exception.
 */

export type FrontmatterValue = string | boolean

export type FrontmatterResult =
  | { ok: true; fields: Record<string, FrontmatterValue>; body: string }
  | { ok: false; message: string }

const KEY_LINE = /^([A-Za-z0-9_-]+):(?:\s+(.*))?$/
/** Lines of a frontmatter, at most: a longer one is not a skill's header. */
const MAX_FRONTMATTER_LINES = 200

/** Split a SKILL.md into its frontmatter fields and its body (the instructions). */
export function parseFrontmatter(text: string): FrontmatterResult {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text
  const lines = src.split(/\r?\n/)
  if (lines[0]?.trimEnd() !== '---') {
    return { ok: false, message: 'SKILL.md must start with a "---" line opening its frontmatter.' }
  }
  let close = -1
  for (let i = 1; i < lines.length && i <= MAX_FRONTMATTER_LINES; i++) {
    if (lines[i]!.trimEnd() === '---') {
      close = i
      break
    }
  }
  if (close < 0) {
    return { ok: false, message: 'The frontmatter is not closed by a "---" line.' }
  }
  const fields: Record<string, FrontmatterValue> = {}
  let i = 1
  while (i < close) {
    const line = lines[i]!
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      i++
      continue
    }
    const m = KEY_LINE.exec(line)
    if (!m) {
      return { ok: false, message: `Frontmatter line ${i + 1} is not "key: value": ${clip(line)}` }
    }
    const key = m[1]!
    const raw = (m[2] ?? '').trim()
    // The indented lines that follow belong to this key (a block scalar, a map, a list).
    let next = i + 1
    while (next < close && (lines[next]!.trim() === '' || /^\s/.test(lines[next]!))) next++
    const nested = lines.slice(i + 1, next)
    if (key in fields) {
      return { ok: false, message: `Frontmatter line ${i + 1} repeats the key "${key}".` }
    }
    const value = scalar(raw, nested)
    if (typeof value === 'object') {
      return { ok: false, message: `Frontmatter line ${i + 1} (${key}): ${value.error}` }
    }
    if (value !== undefined) fields[key] = value
    i = next
  }
  const body = lines
    .slice(close + 1)
    .join('\n')
    .replace(/^\s*\n/, '')
  return { ok: true, fields, body }
}

/**
 * The value of one key: a string, a boolean, or undefined for a nested map or list (which no
 * field Paddock reads has); an error for a quoted string that is not closed.
 */
function scalar(raw: string, nested: string[]): FrontmatterValue | undefined | { error: string } {
  if (raw === '' || raw.startsWith('#')) {
    return nested.some((l) => l.trim() !== '') ? undefined : ''
  }
  if (/^[>|][+-]?$/.test(raw)) return block(raw, nested)
  if (raw.startsWith('"')) {
    const end = raw.lastIndexOf('"')
    if (end <= 0) return { error: 'a double-quoted value is not closed on its line.' }
    try {
      return JSON.parse(raw.slice(0, end + 1)) as string
    } catch {
      return { error: 'a double-quoted value has an invalid escape.' }
    }
  }
  if (raw.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'/.exec(raw)
    if (!m) return { error: 'a single-quoted value is not closed on its line.' }
    return m[1]!.replace(/''/g, "'")
  }
  const plain = raw.replace(/\s+#.*$/, '')
  if (plain === 'true') return true
  if (plain === 'false') return false
  // A plain value may go on over indented lines (folded with spaces).
  const more = nested.map((l) => l.trim()).filter((l) => l !== '')
  return [plain, ...more].join(' ')
}

/** A `>` (folded) or `|` (literal) block scalar from its indented lines. */
function block(indicator: string, nested: string[]): string {
  const indents = nested.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length)
  const indent = indents.length ? Math.min(...indents) : 0
  const lines = nested.map((l) => l.slice(indent).trimEnd())
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  if (indicator.startsWith('|')) return lines.join('\n')
  // Folded: lines of a paragraph joined by spaces, blank lines kept as line breaks.
  let out = ''
  for (const line of lines) {
    if (line === '') out += '\n'
    else out += out === '' || out.endsWith('\n') ? line : ` ${line}`
  }
  return out
}

function clip(line: string): string {
  return line.length > 60 ? `${line.slice(0, 60)}…` : line
}
