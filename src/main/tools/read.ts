import { z } from 'zod'
import { describeError } from './fs-errors'
import { resolveToolPath } from './paths'
import { aborted, fail, ok } from './result'
import { closeNames } from './similar'
import {
  MAX_LINE_CHARS,
  READ_MAX_BYTES,
  READ_MAX_FILE_BYTES,
  READ_MAX_LINES,
  cutLine,
  headBytes,
  formatKb,
  looksBinary,
  toolBudget,
  utf8Length,
} from './truncate'
import type { FsOps, Tool, ToolResult } from './types'

const readSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe('The file to read: relative to the workspace root, or absolute inside it.'),
    offset: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('1-based line number to start at (default 1). Use it to continue a long file.'),
    limit: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(`How many lines to return (default and maximum ${READ_MAX_LINES}).`),
  })
  .strict()

export type ReadInput = z.infer<typeof readSchema>

/** Format one line the way `cat -n` does: the number right-aligned in 6 columns, a tab, the text. */
export function numberedLine(n: number, text: string): string {
  return `${String(n).padStart(6)}\t${text}`
}

/** A message for a path that does not exist, with names in its folder that look like it. */
export async function notFoundMessage(fs: FsOps, real: string, display: string): Promise<string> {
  const close = await closeNames(fs, real)
  const hint = close.length ? ` Similar names in that folder: ${close.join(', ')}.` : ''
  return `${display} not found.${hint}`
}

export const readTool: Tool<ReadInput> = {
  name: 'read',
  description:
    `Read a text file. Output lines are numbered like \`cat -n\` (number, tab, text). Returns at ` +
    `most ${READ_MAX_LINES} lines or ${READ_MAX_BYTES / 1024} KB per call (less for a model with a ` +
    `small context window); when cut, the result ends with the offset to continue from. Lines longer than ${MAX_LINE_CHARS} characters are cut. ` +
    `Refuses binary files and folders (use ls for folders). Paths are relative to the workspace ` +
    `root; a file a bash result spilled its full output to can be read too.`,
  schema: readSchema,
  effect: () => ({ kind: 'read' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const resolved = await resolveToolPath(ctx, input.path, {
      extraRoots: [ctx.spillDir, ...(ctx.readRoots ?? [])],
    })
    if (!resolved.ok) return fail(resolved.message)
    const { real, display } = resolved.path
    if (!resolved.path.exists) return fail(await notFoundMessage(ctx.fs, real, display))

    let buf: Buffer
    try {
      const info = await ctx.fs.stat(real)
      if (info.isDirectory) {
        return fail(`${display} is a directory, not a file; use ls to list it.`)
      }
      if (info.size > READ_MAX_FILE_BYTES) {
        return fail(
          `${display} is too large to read (${info.size} bytes; the limit is ${READ_MAX_FILE_BYTES}). ` +
            `Search it with grep, or print a range with bash (e.g. sed -n '100,200p').`,
        )
      }
      buf = await ctx.fs.readFile(real)
    } catch (err) {
      return fail(`Could not read ${display}: ${describeError(err)}.`)
    }
    if (ctx.signal.aborted) return aborted()
    if (looksBinary(buf)) {
      return fail(`${display} is a binary file (${buf.length} bytes); read refuses binary files.`)
    }
    let text = buf.toString('utf8')
    if (text.startsWith('\uFEFF')) text = text.slice(1)
    if (text === '') return ok(`${display} is empty (0 bytes).`, { path: real, totalLines: 0 })

    const body = text.endsWith('\n') ? text.slice(0, -1) : text
    const lines = body.split('\n')
    const total = lines.length
    const offset = input.offset ?? 1
    if (offset > total) {
      return fail(
        `offset ${offset} is past the end of ${display}, which has ${total} line${total === 1 ? '' : 's'}. ` +
          `Use an offset from 1 to ${total}.`,
      )
    }
    const limit = Math.min(input.limit ?? READ_MAX_LINES, READ_MAX_LINES)
    const maxBytes = toolBudget(ctx.outputBudget, READ_MAX_BYTES)
    const out: string[] = []
    let bytes = 0
    let byteCut = false
    for (let i = offset - 1; i < total && out.length < limit; i++) {
      const raw = lines[i] ?? ''
      let line = numberedLine(
        i + 1,
        cutLine(raw.endsWith('\r') ? raw.slice(0, -1) : raw, MAX_LINE_CHARS),
      )
      let size = utf8Length(line) + 1
      if (bytes + size > maxBytes) {
        byteCut = true
        if (out.length > 0) break
        // A first line over a small budget: shown cut, as a long line is.
        line = `${headBytes(line, maxBytes - 100)}… [line cut at ${formatKb(maxBytes - 100)}]`
        size = utf8Length(line) + 1
      }
      bytes += size
      out.push(line)
    }
    const end = offset + out.length - 1
    let content = out.join('\n')
    if (end < total) {
      const why = byteCut ? ` (${formatKb(maxBytes)} limit)` : ''
      content += `\n\n[Showing lines ${offset}-${end} of ${total}${why}. Continue with offset=${end + 1}.]`
    }
    return ok(content, {
      path: real,
      startLine: offset,
      endLine: end,
      totalLines: total,
      truncated: end < total,
    })
  },
}
