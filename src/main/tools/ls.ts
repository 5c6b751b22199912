import { z } from 'zod'
import { describeError } from './fs-errors'
import { resolveToolPath } from './paths'
import { notFoundMessage } from './read'
import { aborted, fail, ok } from './result'
import { spillNote, spillText } from './spill'
import { LS_MAX_ENTRIES, TOOL_RESULT_MAX_BYTES, formatKb, headLines, toolBudget } from './truncate'
import type { Tool, ToolResult } from './types'

const lsSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Folder to list, relative to the workspace root (default: the root).'),
  })
  .strict()

export type LsInput = z.infer<typeof lsSchema>

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export const lsTool: Tool<LsInput> = {
  name: 'ls',
  description:
    `List a folder: folders first (with a trailing "/"), then files, each sorted by name; ` +
    `symbolic links end with "@". Shows everything, including files .gitignore excludes, at most ` +
    `${LS_MAX_ENTRIES} entries. Not recursive: use glob to find files at any depth.`,
  schema: lsSchema,
  effect: () => ({ kind: 'read' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const resolved = await resolveToolPath(ctx, input.path ?? '.')
    if (!resolved.ok) return fail(resolved.message)
    const { real, display, exists } = resolved.path
    if (!exists) return fail(await notFoundMessage(ctx.fs, real, display))
    let entries
    try {
      if (!(await ctx.fs.stat(real)).isDirectory) {
        return fail(`${display} is a file, not a folder; use read to see its content.`)
      }
      entries = await ctx.fs.readdir(real)
    } catch (err) {
      return fail(`Could not list ${display}: ${describeError(err)}.`)
    }
    const dirs = entries.filter((e) => e.isDirectory && !e.isSymbolicLink).map((e) => `${e.name}/`)
    const others = entries
      .filter((e) => !(e.isDirectory && !e.isSymbolicLink))
      .map((e) => (e.isSymbolicLink ? `${e.name}@` : e.name))
    const all = [...dirs.sort(byName), ...others.sort(byName)]
    if (all.length === 0) return ok(`${display} is empty.`, { count: 0 })
    const maxBytes = toolBudget(ctx.outputBudget, TOOL_RESULT_MAX_BYTES)
    const { shown } = headLines(all.slice(0, LS_MAX_ENTRIES), maxBytes)
    const details: Record<string, unknown> = {
      count: all.length,
      truncated: shown.length < all.length,
    }
    let content = shown.join('\n')
    if (shown.length < all.length && shown.length < LS_MAX_ENTRIES) {
      // Cut by the output budget: the whole listing goes to a file the model can page through.
      const spill = await spillText(ctx.spillDir, 'ls', all.join('\n'))
      if (spill.ok) details.spillPath = spill.path
      content += `\n\n[Showing ${shown.length} of ${all.length} entries (${formatKb(maxBytes)} limit). ${spillNote(spill)} Or use glob with a pattern to narrow.]`
    } else if (shown.length < all.length) {
      content += `\n\n[Showing ${shown.length} of ${all.length} entries. Use glob with a pattern to narrow.]`
    }
    return ok(content, details)
  },
}
