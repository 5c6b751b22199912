import picomatch from 'picomatch'
import { isSecretFileName } from '../core/secret-files'
import {
  GREP_BUILTIN_MAX_FILE_BYTES,
  GREP_MAX_BYTES,
  GREP_MAX_LINE_CHARS,
  cutLine,
  headLines,
} from './truncate'
import type { FsOps } from './types'
import { comparePaths } from './walk'

/** One search, as both implementations receive it. Paths are real and inside the workspace. */
export interface GrepRequest {
  fs: FsOps
  /** Real path of the workspace root. */
  root: string
  /** Real path of the folder or file to search. */
  target: string
  targetIsFile: boolean
  pattern: string
  /** The pattern compiled for JavaScript (validated before any search starts). */
  regex: RegExp
  ignoreCase: boolean
  /** Lines of context before and after each match (0–5). */
  context: number
  /** Keeps a path (relative to the root) or drops it; from the `glob` argument. */
  include: (rel: string) => boolean
  glob: string | undefined
  /** Matches to collect; one more is looked for to know whether more exist. */
  maxMatches: number
  signal: AbortSignal
}

export interface FileHits {
  /** Relative to the workspace root, `/`-separated. */
  path: string
  /** Matching lines, ascending. */
  matches: Array<{ line: number; text: string }>
  /** Context lines by number (may include lines that also match). */
  context: Map<number, string>
}

export interface GrepHits {
  /** Sorted by path (`comparePaths`), matches by line; at most `maxMatches` matches in all. */
  files: FileHits[]
  /** More matches exist than were collected. */
  more: boolean
  /** Problems that did not stop the search (unreadable files), for a note in the result. */
  warnings: string[]
  /** Files not searched because they are larger than the built-in search reads (rg has no limit). */
  tooLarge: string[]
  /**
   * Files never searched because their names say they hold secrets (`isSecretFileName`): every
   * such file in the searched set, whether or not it would match, so a search reveals nothing of
   * their content.
   */
  secretFiles: string[]
}

/** Whether a path (relative, `/`-separated) names a file that holds secrets. */
export function isSecretPath(rel: string): boolean {
  return isSecretFileName(rel.slice(rel.lastIndexOf('/') + 1))
}

/** Most secret files a result names; the rest are counted. */
const SECRET_FILES_NAMED = 10

/** The sentence naming the files that hold secrets, which were not searched. */
export function secretFilesNote(paths: readonly string[]): string {
  const sorted = [...paths].sort(comparePaths)
  const named = sorted.slice(0, SECRET_FILES_NAMED).join(', ')
  const rest = sorted.length - SECRET_FILES_NAMED
  const files =
    sorted.length === 1
      ? '1 file that holds secrets was'
      : `${sorted.length} files that hold secrets were`
  return `${files} not searched: ${named}${rest > 0 ? ` and ${rest} more` : ''}.`
}

/** Most skipped files a result names; the rest are counted. */
const TOO_LARGE_NAMED = 20

/** The sentence naming the files the built-in search skipped for their size, and the limit. */
export function tooLargeNote(paths: readonly string[]): string {
  const sorted = [...paths].sort(comparePaths)
  const named = sorted.slice(0, TOO_LARGE_NAMED).join(', ')
  const rest = sorted.length - TOO_LARGE_NAMED
  const files = sorted.length === 1 ? '1 file' : `${sorted.length} files`
  const limit = `${GREP_BUILTIN_MAX_FILE_BYTES / (1024 * 1024)} MB`
  return (
    `Skipped ${files} over the built-in search's ${limit} size limit (install ripgrep, rg, to ` +
    `search them): ${named}${rest > 0 ? ` and ${rest} more` : ''}.`
  )
}

/**
 * The `glob` filter of grep: a pattern without `/` matches file names at any depth (`*.ts`), one
 * with `/` matches the path from the workspace root (`src/**\/*.tsx`). Dotfiles are not special.
 */
export function globFilter(glob: string | undefined): (rel: string) => boolean {
  if (!glob) return () => true
  const hasSlash = glob.includes('/')
  const match = picomatch(glob.replace(/^\.\//, ''), { dot: true, basename: !hasSlash })
  return (rel) => match(rel)
}

/** Compile a search pattern: Unicode mode when the pattern allows it, else the legacy syntax. */
export function compilePattern(
  pattern: string,
  ignoreCase: boolean,
): { ok: true; regex: RegExp } | { ok: false; message: string } {
  const flags = ignoreCase ? 'i' : ''
  try {
    return { ok: true, regex: new RegExp(pattern, `${flags}u`) }
  } catch {
    try {
      return { ok: true, regex: new RegExp(pattern, flags) }
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err)
      return {
        ok: false,
        message:
          `Invalid regular expression ${JSON.stringify(pattern)}: ${why}. Patterns use JavaScript ` +
          `RegExp syntax; escape special characters such as ( [ { . * + ? with a backslash, and ` +
          `use ignore_case instead of (?i).`,
      }
    }
  }
}

/** Strip the line break a line of text ends with. */
export function chompLine(text: string): string {
  return text.replace(/\r?\n$/, '').replace(/\r$/, '')
}

/**
 * Format hits the same way for both implementations: `path:line: text` for a match, `path-line- text`
 * for a context line, and `--` between groups of lines that are not adjacent. `text` is what fits in
 * `maxBytes`; `full` is all of it (for the spill file when `cut`).
 */
export function formatHits(
  hits: GrepHits,
  context: number,
  maxBytes: number = GREP_MAX_BYTES,
): { text: string; cut: boolean; full: string } {
  const all: string[] = []
  for (const file of hits.files) {
    const shown = new Map<number, { match: boolean; text: string }>()
    for (const m of file.matches) {
      for (let l = m.line - context; l <= m.line + context; l++) {
        if (l === m.line || shown.has(l)) continue
        const text = file.context.get(l)
        if (text !== undefined) shown.set(l, { match: false, text })
      }
    }
    for (const m of file.matches) shown.set(m.line, { match: true, text: m.text })
    const lines = [...shown.keys()].sort((a, b) => a - b)
    let prev = -1
    for (const l of lines) {
      const entry = shown.get(l)
      if (!entry) continue
      if (context > 0 && all.length > 0 && l !== prev + 1) all.push('--')
      const sep = entry.match ? ':' : '-'
      all.push(`${file.path}${sep}${l}${sep} ${cutLine(entry.text, GREP_MAX_LINE_CHARS)}`)
      prev = l
    }
  }
  const { shown, cut } = headLines(all, maxBytes)
  // A cut never ends on a group separator.
  if (cut && shown[shown.length - 1] === '--') shown.pop()
  return { text: shown.join('\n'), cut, full: all.join('\n') }
}
