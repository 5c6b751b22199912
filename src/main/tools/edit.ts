import { dirname } from 'node:path'
import { z } from 'zod'
import { findEdit, lineNumbers } from './edit-match'
import type { Closest, MatchKind, Replacement } from './edit-match'
import { describeError } from './fs-errors'
import { lexicalPath, resolveToolPath } from './paths'
import { notFoundMessage, numberedLine } from './read'
import { aborted, fail, ok } from './result'
import { cutLine, looksBinary } from './truncate'
import type { Tool, ToolResult } from './types'

/** Lines of the closest region shown when old_string is not found. */
const CLOSEST_MAX_LINES = 30
/** Characters per line of that region. */
const CLOSEST_MAX_LINE_CHARS = 300

const editSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe('The file to edit: relative to the workspace root, or absolute inside it.'),
    old_string: z
      .string()
      .describe(
        'The exact text to replace, copied from the file (without read line numbers). Include ' +
          'enough surrounding lines to make it unique. Empty only to create a new file.',
      ),
    new_string: z.string().describe('The text to put in its place. Must differ from old_string.'),
    replace_all: z
      .boolean()
      .optional()
      .describe('Replace every occurrence instead of requiring exactly one (default false).'),
  })
  .strict()

export type EditInput = z.infer<typeof editSchema>

const HOW: Record<MatchKind, string> = {
  exact: '',
  folded:
    ' (matched after ignoring differences in line endings, trailing whitespace, quotes, dashes or spaces)',
  indentation: ' (matched with different indentation; new_string was re-indented to fit)',
}

function closestText(closest: Closest | null): string {
  if (!closest) return 'No similar region was found; read the file to see its current content.'
  const shown = closest.lines.slice(0, CLOSEST_MAX_LINES)
  const more =
    closest.lines.length > shown.length
      ? `\n[… ${closest.lines.length - shown.length} more lines]`
      : ''
  return (
    `The most similar region is lines ${closest.startLine}-${closest.endLine} ` +
    `(${Math.round(closest.score * 100)}% similar):\n` +
    shown
      .map((l, i) => numberedLine(closest.startLine + i, cutLine(l, CLOSEST_MAX_LINE_CHARS)))
      .join('\n') +
    more
  )
}

function apply(
  text: string,
  replacements: Replacement[],
  eol: string,
): { after: string; lines: Array<[number, number]> } {
  const sorted = [...replacements].sort((a, b) => a.start - b.start)
  let after = ''
  let pos = 0
  const starts: number[] = []
  const spans: number[] = []
  for (const r of sorted) {
    const insert = eol === '\n' ? r.text.replace(/\r\n/g, '\n') : r.text.replace(/\r?\n/g, eol)
    after += text.slice(pos, r.start)
    starts.push(after.length)
    const body = insert.endsWith('\n') ? insert.slice(0, -1) : insert
    spans.push(body.split('\n').length - 1)
    after += insert
    pos = r.end
  }
  after += text.slice(pos)
  const first = lineNumbers(after, starts)
  return { after, lines: first.map((l, i) => [l, l + (spans[i] ?? 0)]) }
}

function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1
  const lf = text.split('\n').length - 1 - crlf
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n'
}

export const editTool: Tool<EditInput> = {
  name: 'edit',
  description:
    'Replace text in a file: old_string must occur exactly once (or set replace_all). Copy ' +
    'old_string from the file with enough context to be unique. Small differences are tolerated ' +
    '(line endings, trailing whitespace, smart quotes, Unicode dashes and spaces, a consistent ' +
    'indentation shift or tabs vs spaces); the file keeps its line endings and BOM. If old_string ' +
    'is not found, the result shows the most similar region so you can retry. An empty old_string ' +
    'creates a file that does not exist yet. Files inside .git are refused.',
  schema: editSchema,
  effect: (input, ctx) => ({ kind: 'write', paths: [lexicalPath(ctx.workspaceRoot, input.path)] }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    if (input.old_string === input.new_string) {
      return fail('old_string and new_string are identical; there is nothing to change.')
    }
    const resolved = await resolveToolPath(ctx, input.path, { write: true })
    if (!resolved.ok) return fail(resolved.message)
    const { real, display, exists } = resolved.path

    if (!exists) {
      if (input.old_string !== '') {
        return fail(
          `${await notFoundMessage(ctx.fs, real, display)} To create a file, use write (or edit with an empty old_string).`,
        )
      }
      try {
        await ctx.fs.mkdir(dirname(real))
        await ctx.fs.writeFileAtomic(real, input.new_string)
      } catch (err) {
        return fail(`Could not create ${display}: ${describeError(err)}.`)
      }
      return ok(`Created ${display} with new_string.`, {
        path: real,
        before: null,
        after: input.new_string,
      })
    }

    let buf: Buffer
    try {
      const info = await ctx.fs.stat(real)
      if (info.isDirectory) return fail(`${display} is a directory, not a file.`)
      buf = await ctx.fs.readFile(real)
    } catch (err) {
      return fail(`Could not read ${display}: ${describeError(err)}.`)
    }
    if (looksBinary(buf)) {
      return fail(`${display} is a binary file (${buf.length} bytes); edit refuses binary files.`)
    }
    const before = buf.toString('utf8')
    if (!Buffer.from(before, 'utf8').equals(buf)) {
      return fail(
        `${display} is not valid UTF-8; editing it as text would corrupt it. Use bash to change it.`,
      )
    }
    const bom = before.startsWith('\uFEFF') ? '\uFEFF' : ''
    const text = before.slice(bom.length)

    let replacements: Replacement[]
    let how: MatchKind = 'exact'
    if (input.old_string === '') {
      if (text !== '') {
        return fail(
          `old_string is empty but ${display} is not: give the text to replace, or use write to replace the whole file.`,
        )
      }
      replacements = [{ start: 0, end: 0, text: input.new_string }]
    } else {
      const outcome = findEdit(text, input.old_string, input.new_string, input.replace_all ?? false)
      if (outcome.kind === 'not_found') {
        return fail(
          `old_string was not found in ${display}, neither exactly nor after ignoring line endings, ` +
            `trailing whitespace, quote/dash/space variants and indentation. The file was not changed.\n` +
            closestText(outcome.closest),
          { path: real },
        )
      }
      if (outcome.kind === 'ambiguous') {
        return fail(
          `old_string occurs ${outcome.lines.length} times in ${display} (at lines ${outcome.lines.join(', ')}). ` +
            `The file was not changed. Add surrounding lines to old_string to make it unique, or set replace_all to change every occurrence.`,
          { path: real },
        )
      }
      replacements = outcome.replacements
      how = outcome.how
    }

    const { after: afterText, lines } = apply(text, replacements, detectEol(text))
    const after = bom + afterText
    if (after === before) {
      return fail(`The edit would not change ${display}; the file was not changed.`)
    }
    if (ctx.signal.aborted) return aborted()
    try {
      await ctx.fs.writeFileAtomic(real, after)
    } catch (err) {
      return fail(`Could not write ${display}: ${describeError(err)}. The file was not changed.`)
    }
    const where = lines.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')
    const count = replacements.length
    const manyLines = lines.length > 1 || lines.some(([a, b]) => a !== b)
    return ok(
      `Edited ${display}: ${count} replacement${count === 1 ? '' : 's'}, now at line${manyLines ? 's' : ''} ${where}${HOW[how]}.`,
      { path: real, before, after, replacements: count, match: how },
    )
  },
}
