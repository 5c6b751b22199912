import { findEdit, lineNumbers } from './edit-match'
import type { MatchOutcome, Replacement } from './edit-match'
import type { Repair } from './repair'
import type { RepairContext } from './repair-context'
import { nodeRepairFs, repairMayRead } from './repair-context'
import { RepairRefusal } from './repair-errors'
import { READ_MAX_FILE_BYTES } from './truncate'

/**
 * An edit whose `old_string` was copied from read's output with the line numbers still on
 * (`     12\tconst a = 1`: read numbers lines like `cat -n`), or from another agent's format
 * (`12→`, `12|`, `12:`). The prefixes are stripped only when that is the one reading that works:
 * the text as sent does not match the file, the stripped text matches it exactly once (or, with
 * replace_all, at all), and no other prefix style gives a different edit. new_string loses the
 * same prefixes when every one of its lines has them; when only some do, the edit is refused,
 * as it is when the text matches both with and without the numbers to different effect.
 * The file is read before the permission check, so only one any call may see (`repairMayRead`):
 * an edit of `.env` gets no repair, and no answer that depends on what `.env` holds.
 */

interface Style {
  /** The line-number prefix with its separator; group 1 is the number. */
  prefix: RegExp
}

/** Prefix styles, read's own first. `|` and `:` are tried with and without one space after. */
const STYLES: readonly Style[] = [
  { prefix: /^ *(\d+)\t/ },
  { prefix: /^ *(\d+)→/ },
  { prefix: /^ *(\d+)\| / },
  { prefix: /^ *(\d+)\|/ },
  { prefix: /^ *(\d+): / },
  { prefix: /^ *(\d+):/ },
]
/** A numbered empty line whose separator was trimmed with the trailing whitespace. */
const BARE = /^ *(\d+)[ \t]*\r?$/

/**
 * `text` without a style's prefixes, or undefined when some line lacks one. Line numbers must
 * run on by one when `consecutive` is set, and whenever a bare number stands for an empty line
 * (read's `     7\t` with the tab trimmed away).
 */
export function stripPrefixes(
  text: string,
  style: Style,
  consecutive: boolean,
): string | undefined {
  const lines = text.split('\n')
  const out: string[] = []
  let previous: number | undefined
  let inOrder = true
  let bare = false
  let full = false
  for (const [i, line] of lines.entries()) {
    // The empty tail after a final newline is not a line of its own.
    if (i === lines.length - 1 && i > 0 && line === '') {
      out.push('')
      break
    }
    const prefixed = style.prefix.exec(line)
    const match = prefixed ?? BARE.exec(line)
    if (!match) return undefined
    if (prefixed) full = true
    else bare = true
    const n = Number(match[1])
    if (previous !== undefined && n !== previous + 1) inOrder = false
    previous = n
    out.push(prefixed ? line.slice(prefixed[0].length) : line.endsWith('\r') ? '\r' : '')
  }
  // Bare numbers alone are text (a list of numbers), not numbered empty lines.
  if (!full || ((consecutive || bare) && !inOrder)) return undefined
  return out.join('\n')
}

/** Whether some (not necessarily every) line of `text` has the style's prefix. */
function someLinePrefixed(text: string, style: Style): boolean {
  return text.split('\n').some((line) => style.prefix.test(line))
}

interface Reading {
  oldString: string
  newString: string
  newStripped: boolean
  /** The first line's prefix as sent, for messages. */
  sample: string
  /** The file after this edit: readings with the same effect are one. */
  after: string
  line: number
}

/**
 * The edit's `old_string` (and `new_string`) without line-number prefixes when that is the one
 * reading that matches the file; `input` itself otherwise. Throws `RepairRefusal` when two
 * readings both match.
 */
export function stripLineNumbers(
  input: Record<string, unknown>,
  ctx: RepairContext,
  repairs: Repair[],
): Record<string, unknown> {
  const { path, old_string: oldString, new_string: newString } = input
  if (typeof path !== 'string' || typeof oldString !== 'string' || typeof newString !== 'string') {
    return input
  }
  // Cheap first look: read's output, like every style here, starts each line with a number.
  if (!/^ *\d/.test(oldString)) return input
  const styled = STYLES.map((style) => ({ style, old: stripPrefixes(oldString, style, true) }))
  const candidates = styled.filter((c) => c.old !== undefined && c.old.trim() !== '')
  if (candidates.length === 0) return input

  // Read only what any call may see: never a protected file (an oracle on a secret's contents)
  // nor one outside the workspace; such a call goes on as sent, for the policy to decide.
  const real = repairMayRead(path.trim(), ctx)
  if (real === null) return input
  const raw = (ctx.fs ?? nodeRepairFs).readText(real, READ_MAX_FILE_BYTES)
  if (raw === null) return input
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw
  const replaceAll = input.replace_all === true
  const probe = (o: string, n: string): MatchOutcome =>
    findEdit(text, o, n, replaceAll, { closest: false })

  const readings: Reading[] = []
  for (const { style, old } of candidates) {
    const outcome = probe(old!, newString)
    if (outcome.kind !== 'found') continue
    const sample = JSON.stringify(style.prefix.exec(oldString)?.[0] ?? '')
    const strippedNew = stripPrefixes(newString, style, false)
    if (strippedNew === undefined && someLinePrefixed(newString, style)) {
      throw new RepairRefusal(
        `old_string carries line-number prefixes (${sample}) and matches ${path} without them, ` +
          `but only some lines of new_string carry them, so whether the others are meant as text ` +
          `cannot be told. Send old_string and new_string without line numbers.`,
      )
    }
    const newText = strippedNew ?? newString
    const final = strippedNew === undefined ? outcome : probe(old!, newText)
    if (final.kind !== 'found') continue
    const reading: Reading = {
      oldString: old!,
      newString: newText,
      newStripped: strippedNew !== undefined,
      sample,
      after: applied(text, final.replacements),
      line: lineNumbers(text, [final.replacements[0]?.start ?? 0])[0] ?? 1,
    }
    if (!readings.some((r) => r.after === reading.after)) readings.push(reading)
  }
  if (readings.length === 0) return input

  const first = readings[0]!
  const asSent = probe(oldString, newString)
  if (asSent.kind === 'found') {
    // The file holds numbered text itself (saved `cat -n` output): one edit whichever way read.
    const rawAfter = applied(text, asSent.replacements)
    if (readings.every((r) => r.after === rawAfter)) return input
  }
  if (asSent.kind !== 'not_found') {
    throw new RepairRefusal(
      `old_string matches ${path} both as sent and without its line-number prefixes ` +
        `(${first.sample}, at line ${first.line}), so which text you mean cannot be told. Send ` +
        `old_string exactly as it is in the file, with enough surrounding lines to be unique.`,
    )
  }
  if (readings.length > 1) {
    const listed = readings.map((r) => `${r.sample} (at line ${r.line})`).join(' or ')
    throw new RepairRefusal(
      `old_string carries line-number prefixes that can be read as ${listed}, and each reading ` +
        `matches ${path} with a different result. Send old_string without line numbers.`,
    )
  }
  const both = first.newStripped ? 'old_string and new_string' : 'old_string'
  repairs.push({
    kind: 'line_numbers_stripped',
    field: 'old_string',
    detail:
      `${both}: line-number prefixes (${first.sample}) → stripped; without them old_string ` +
      `matches ${path} at line ${first.line}, as sent it does not`,
    tell:
      `Note: ${both} carried line-number prefixes (${first.sample}, as read shows lines); they ` +
      `were removed before the edit. Send file text without them.`,
  })
  return { ...input, old_string: first.oldString, new_string: first.newString }
}

/** The text with the replacements made (offsets into `text`, any order). */
function applied(text: string, replacements: readonly Replacement[]): string {
  let out = ''
  let pos = 0
  for (const r of [...replacements].sort((a, b) => a.start - b.start)) {
    out += text.slice(pos, r.start) + r.text
    pos = r.end
  }
  return out + text.slice(pos)
}
