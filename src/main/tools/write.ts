import { dirname } from 'node:path'
import { z } from 'zod'
import { describeError } from './fs-errors'
import { lexicalPath, resolveToolPath } from './paths'
import { aborted, fail, ok } from './result'
import { looksBinary, utf8Length } from './truncate'
import type { Tool, ToolResult } from './types'

/** Previous contents larger than this (bytes) are not kept in `details.before` for the diff UI. */
export const DIFF_MAX_BYTES = 2 * 1024 * 1024

const writeSchema = z
  .object({
    path: z
      .string()
      .min(1)
      .describe('The file to write: relative to the workspace root, or absolute inside it.'),
    content: z.string().describe('The complete new content of the file.'),
  })
  .strict()

export type WriteInput = z.infer<typeof writeSchema>

export function countLines(text: string): number {
  if (text === '') return 0
  const newlines = text.split('\n').length - 1
  return text.endsWith('\n') ? newlines : newlines + 1
}

export const writeTool: Tool<WriteInput> = {
  name: 'write',
  description:
    'Create a file or replace its whole content. Missing parent folders are created. The write is ' +
    'atomic: on failure the old file is left as it was. To change part of an existing file, ' +
    'prefer edit. Paths are relative to the workspace root; files inside .git are refused.',
  schema: writeSchema,
  effect: (input, ctx) => ({ kind: 'write', paths: [lexicalPath(ctx.workspaceRoot, input.path)] }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const resolved = await resolveToolPath(ctx, input.path, { write: true })
    if (!resolved.ok) return fail(resolved.message)
    const { real, display, exists } = resolved.path

    let before: string | null | undefined = null
    let beforeBytes = 0
    try {
      if (exists) {
        const info = await ctx.fs.stat(real)
        if (info.isDirectory) return fail(`${display} is a directory; give a file path.`)
        beforeBytes = info.size
        if (info.size <= DIFF_MAX_BYTES) {
          const old = await ctx.fs.readFile(real)
          before = looksBinary(old) ? undefined : old.toString('utf8')
        } else {
          before = undefined
        }
      } else {
        await ctx.fs.mkdir(dirname(real))
      }
    } catch (err) {
      return fail(`Could not write ${display}: ${describeError(err)}.`)
    }
    if (ctx.signal.aborted) return aborted()
    try {
      await ctx.fs.writeFileAtomic(real, input.content)
    } catch (err) {
      const unchanged = exists ? ' The file was not changed.' : ''
      return fail(`Could not write ${display}: ${describeError(err)}.${unchanged}`)
    }
    const bytes = utf8Length(input.content)
    const lines = countLines(input.content)
    const size = `${bytes} byte${bytes === 1 ? '' : 's'}, ${lines} line${lines === 1 ? '' : 's'}`
    const summary = exists
      ? `Overwrote ${display}: ${size} (was ${beforeBytes} bytes).`
      : `Created ${display}: ${size}.`
    const details: Record<string, unknown> = { path: real, created: !exists, after: input.content }
    if (before !== undefined) details.before = before
    return ok(summary, details)
  },
}
