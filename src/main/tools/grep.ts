import { z } from 'zod'
import { describeError } from './fs-errors'
import { grepBuiltin } from './grep-builtin'
import type { GrepHits, GrepRequest } from './grep-common'
import {
  compilePattern,
  formatHits,
  globFilter,
  isSecretPath,
  secretFilesNote,
  tooLargeNote,
} from './grep-common'
import { grepRipgrep } from './grep-rg'
import { resolveToolPath } from './paths'
import { notFoundMessage } from './read'
import { aborted, fail, ok } from './result'
import { spillNote, spillText } from './spill'
import {
  GREP_BUILTIN_MAX_FILE_BYTES,
  GREP_MAX_BYTES,
  GREP_MAX_MATCHES,
  formatKb,
  toolBudget,
} from './truncate'
import type { Tool, ToolResult } from './types'
import { comparePaths } from './walk'

export { findRipgrep } from './grep-rg'

/** Most context lines a call may ask for, before and after each match. */
export const GREP_MAX_CONTEXT = 5

const grepSchema = z
  .object({
    pattern: z
      .string()
      .min(1)
      .describe(
        'Regular expression (JavaScript syntax) to look for in each line, e.g. "function\\s+load".',
      ),
    path: z
      .string()
      .min(1)
      .optional()
      .describe('Folder or file to search, relative to the workspace root (default: the root).'),
    glob: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Only search files matching this glob: without "/" it matches file names at any depth ' +
          '("*.ts", "*.{ts,tsx}"); with "/" it matches the path from the workspace root ("src/**/*.tsx").',
      ),
    ignore_case: z.boolean().optional().describe('Case-insensitive search (default false).'),
    context: z
      .number()
      .int()
      .min(0)
      .max(GREP_MAX_CONTEXT)
      .optional()
      .describe(
        `Lines of context to show before and after each match (0-${GREP_MAX_CONTEXT}, default 0).`,
      ),
  })
  .strict()

export type GrepInput = z.infer<typeof grepSchema>

export const grepTool: Tool<GrepInput> = {
  name: 'grep',
  description:
    `Search file contents for a regular expression. Prints matching lines as "path:line: text" ` +
    `(context lines as "path-line- text"), paths relative to the workspace root, sorted by path ` +
    `then line. At most ${GREP_MAX_MATCHES} matches per call; narrow the pattern, path or glob ` +
    `when told more exist. Skips files excluded by .gitignore, the .git folder, binary files and ` +
    `files that hold secrets (.env, private keys, credentials), which it names. ` +
    `Use it to find where something is defined or used before reading files.`,
  schema: grepSchema,
  effect: () => ({ kind: 'read' }),
  async execute(input, ctx): Promise<ToolResult> {
    if (ctx.signal.aborted) return aborted()
    const compiled = compilePattern(input.pattern, input.ignore_case ?? false)
    if (!compiled.ok) return fail(compiled.message)
    const resolved = await resolveToolPath(ctx, input.path ?? '.')
    if (!resolved.ok) return fail(resolved.message)
    const { real, display, exists } = resolved.path
    if (!exists) return fail(await notFoundMessage(ctx.fs, real, display))

    let targetIsFile: boolean
    try {
      const info = await ctx.fs.stat(real)
      targetIsFile = !info.isDirectory
      // A file over the built-in limit is left to rg (which skips binaries itself) or reported as skipped.
      const readable = info.size <= GREP_BUILTIN_MAX_FILE_BYTES
      // A file that holds secrets is not read at all (the search skips and names it).
      const secret = isSecretPath(display)
      if (targetIsFile && readable && !secret && (await ctx.fs.readFile(real)).includes(0)) {
        return ok(`No matches: ${display} is a binary file, and grep skips binary files.`, {
          matches: 0,
        })
      }
    } catch (err) {
      return fail(`Could not search ${display}: ${describeError(err)}.`)
    }
    const root = await ctx.fs.realpath(ctx.workspaceRoot).catch(() => ctx.workspaceRoot)
    const req: GrepRequest = {
      fs: ctx.fs,
      root,
      target: real,
      targetIsFile,
      pattern: input.pattern,
      regex: compiled.regex,
      ignoreCase: input.ignore_case ?? false,
      context: input.context ?? 0,
      include: globFilter(input.glob),
      glob: input.glob,
      maxMatches: GREP_MAX_MATCHES,
      signal: ctx.signal,
    }

    let hits: GrepHits
    let engine = 'builtin'
    const notes: string[] = []
    try {
      if (ctx.ripgrepPath) {
        try {
          hits = await grepRipgrep(req, ctx.ripgrepPath)
          engine = 'rg'
        } catch (err) {
          // rg cannot run, or rejects a pattern JavaScript accepts (look-around): search without it.
          notes.push(`(searched without rg: ${describeError(err).split('\n')[0]})`)
          hits = await grepBuiltin(req)
        }
      } else {
        hits = await grepBuiltin(req)
      }
    } catch (err) {
      return fail(`Could not search ${display}: ${describeError(err)}.`)
    }
    if (ctx.signal.aborted) return aborted()

    hits.files.sort((a, b) => comparePaths(a.path, b.path))
    const count = hits.files.reduce((n, f) => n + f.matches.length, 0)
    const details: Record<string, unknown> = {
      engine,
      matches: count,
      files: hits.files.length,
      more: hits.more,
      ...(hits.tooLarge.length ? { skipped: hits.tooLarge.length } : {}),
      ...(hits.secretFiles.length ? { secretFiles: hits.secretFiles.length } : {}),
    }
    const place = display === '.' ? 'the workspace' : display
    const where = input.glob ? `${place} (files matching ${input.glob})` : place
    if (count === 0) {
      const warn = hits.warnings.length
        ? ` Some paths could not be searched: ${hits.warnings.join('; ')}.`
        : ''
      const large = hits.tooLarge.length ? ` ${tooLargeNote(hits.tooLarge)}` : ''
      const secrets = hits.secretFiles.length ? ` ${secretFilesNote(hits.secretFiles)}` : ''
      return ok(`No matches for /${input.pattern}/ in ${where}.${warn}${large}${secrets}`, details)
    }
    const maxBytes = toolBudget(ctx.outputBudget, GREP_MAX_BYTES)
    const formatted = formatHits(hits, req.context, maxBytes)
    const parts = [formatted.text]
    if (formatted.cut) {
      const spill = await spillText(ctx.spillDir, 'grep', formatted.full)
      if (spill.ok) details.spillPath = spill.path
      parts.push(
        `[Output cut at ${formatKb(maxBytes)}. ${spillNote(spill)} Or narrow the pattern or path.]`,
      )
    }
    if (hits.more) {
      parts.push(`[${count} matches shown; more exist. Narrow the pattern or path.]`)
    }
    if (hits.warnings.length)
      parts.push(`[Some paths could not be searched: ${hits.warnings.join('; ')}]`)
    if (hits.tooLarge.length) parts.push(`[${tooLargeNote(hits.tooLarge)}]`)
    if (hits.secretFiles.length) parts.push(`[${secretFilesNote(hits.secretFiles)}]`)
    parts.push(...notes)
    return ok(parts.join('\n\n'), details)
  },
}
