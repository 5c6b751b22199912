import { isAbsolute, join, posix } from 'node:path'
import picomatch from 'picomatch'
import { z } from 'zod'
import { describeError } from './fs-errors'
import { relativePath, resolveToolPath } from './paths'
import { isWithin, pathWithin } from '../core/within'
import { notFoundMessage } from './read'
import { aborted, fail, ok } from './result'
import { spillNote, spillText } from './spill'
import {
  GLOB_MAX_RESULTS,
  TOOL_RESULT_MAX_BYTES,
  formatKb,
  headLines,
  toolBudget,
} from './truncate'
import type { Tool, ToolResult } from './types'
import { walk } from './walk'

const globSchema = z
  .object({
    pattern: z
      .string()
      .min(1)
      .describe(
        'Glob relative to `path`: "**/*.ts" (any depth), "src/*.tsx" (one folder), "*.{json,md}". ' +
          '"*" does not cross "/"; use "**/" for any depth.',
      ),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Folder to search from, relative to the workspace root (default: the root).'),
  })
  .strict()

export type GlobInput = z.infer<typeof globSchema>

export const globTool: Tool<GlobInput> = {
  name: 'glob',
  description:
    `Find files by name pattern. Returns file paths relative to the workspace root, one per line, ` +
    `sorted by path, at most ${GLOB_MAX_RESULTS}. Skips files excluded by .gitignore and the .git ` +
    `folder; folders themselves are not listed (use ls). Use it to locate files before reading them.`,
  schema: globSchema,
  effect: () => ({ kind: 'read' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const root = await ctx.fs.realpath(ctx.workspaceRoot).catch(() => ctx.workspaceRoot)
    let pattern = input.pattern.trim().replace(/^\.\//, '')
    let base = input.path ?? '.'
    const outside = (): ToolResult =>
      fail(
        `Refused: ${input.pattern} reaches outside the workspace ${ctx.workspaceRoot}. (Paths outside the workspace are not allowed yet.)`,
      )
    if (isAbsolute(pattern)) {
      // An absolute pattern inside the workspace is taken relative to the root.
      const rel = pathWithin(root, pattern) ?? pathWithin(ctx.workspaceRoot, pattern)
      if (rel === null) return outside()
      pattern = rel || '*'
      base = '.'
    }
    // `..` in a pattern is resolved here, so its literal prefix says where the walk starts.
    pattern = posix.normalize(pattern)
    const resolved = await resolveToolPath(ctx, base)
    if (!resolved.ok) return fail(resolved.message)
    const { real, display, exists } = resolved.path
    if (!exists) return fail(await notFoundMessage(ctx.fs, real, display))
    const place = display === '.' ? 'the workspace' : display
    try {
      if (!(await ctx.fs.stat(real)).isDirectory) {
        return fail(`${display} is a file, not a folder; glob searches folders.`)
      }
    } catch (err) {
      return fail(`Could not search ${display}: ${describeError(err)}.`)
    }

    const match = picomatch(pattern, { dot: true })
    // Walk only below the pattern's literal prefix ("src/components" of "src/components/**/*.tsx").
    const scan = picomatch.scan(pattern)
    const prefix = scan.isGlob ? scan.base : posix.dirname(pattern)
    if (prefix.split('/').includes('.git')) {
      return ok(`No files match ${input.pattern} in ${place}: the .git folder is not searched.`, {
        count: 0,
      })
    }
    let start = real
    if (prefix && prefix !== '.') {
      const candidate = join(real, prefix)
      if (!isWithin(root, candidate)) return outside()
      const info = await ctx.fs.stat(candidate).catch(() => null)
      if (!info?.isDirectory)
        return ok(`No files match ${input.pattern} in ${place}.`, { count: 0 })
      start = candidate
    }
    const found: string[] = []
    const warnings: string[] = []
    let more = false
    for await (const entry of walk({
      fs: ctx.fs,
      root,
      start,
      signal: ctx.signal,
      onError: (rel, message) => warnings.push(`${rel}: ${message}`),
    })) {
      if (entry.isDirectory) continue
      if (!match(relativePath(real, entry.abs))) continue
      if (found.length >= GLOB_MAX_RESULTS) {
        more = true
        break
      }
      found.push(entry.rel)
    }
    if (ctx.signal.aborted) return aborted()
    const details: Record<string, unknown> = { count: found.length, more }
    if (found.length === 0) return ok(`No files match ${input.pattern} in ${place}.`, details)
    const maxBytes = toolBudget(ctx.outputBudget, TOOL_RESULT_MAX_BYTES)
    const { shown, cut } = headLines(found, maxBytes)
    const parts = [shown.join('\n')]
    if (cut) {
      const spill = await spillText(ctx.spillDir, 'glob', found.join('\n'))
      if (spill.ok) details.spillPath = spill.path
      parts.push(
        `[Showing ${shown.length} of ${found.length} files (${formatKb(maxBytes)} limit). ${spillNote(spill)}]`,
      )
    }
    if (more) {
      parts.push(
        `[Showing the first ${GLOB_MAX_RESULTS} files; more match. Narrow the pattern or path.]`,
      )
    }
    if (warnings.length) parts.push(`[Some folders could not be listed: ${warnings.join('; ')}]`)
    return ok(parts.join('\n\n'), details)
  },
}
