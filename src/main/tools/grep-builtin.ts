import { describeError } from './fs-errors'
import type { FileHits, GrepHits, GrepRequest } from './grep-common'
import { isSecretPath } from './grep-common'
import { relativePath } from './paths'
import { GREP_BUILTIN_MAX_FILE_BYTES } from './truncate'
import { walk } from './walk'

/**
 * Search lines of one file's text. Returns the matches (at most `limit`) and the context lines
 * around them, and whether another match exists past the limit.
 */
function searchText(
  text: string,
  regex: RegExp,
  context: number,
  limit: number,
): { matches: FileHits['matches']; context: Map<number, string>; more: boolean } {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const lines = body === '' ? [] : body.split('\n')
  const matches: FileHits['matches'] = []
  const around = new Map<number, string>()
  let more = false
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '')
    regex.lastIndex = 0
    if (!regex.test(line)) continue
    if (matches.length >= limit) {
      // Like rg stopping at this match: nothing from this line on is shown.
      for (const n of [...around.keys()]) if (n >= i + 1) around.delete(n)
      more = true
      break
    }
    matches.push({ line: i + 1, text: line })
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) {
      if (j !== i) around.set(j + 1, (lines[j] ?? '').replace(/\r$/, ''))
    }
  }
  return { matches, context: around, more }
}

/**
 * The built-in search: the workspace walker (.gitignore honoured, `.git` skipped) plus RegExp.
 * Files whose names say they hold secrets are never read.
 */
export async function grepBuiltin(req: GrepRequest): Promise<GrepHits> {
  const files: FileHits[] = []
  const warnings: string[] = []
  const tooLarge: string[] = []
  const secretFiles: string[] = []
  let total = 0
  let more = false

  const searchFile = async (abs: string, rel: string): Promise<void> => {
    if (isSecretPath(rel)) {
      secretFiles.push(rel)
      return
    }
    let buf: Buffer
    try {
      const size = (await req.fs.stat(abs)).size
      if (size > GREP_BUILTIN_MAX_FILE_BYTES) {
        tooLarge.push(rel)
        return
      }
      buf = await req.fs.readFile(abs)
    } catch (err) {
      warnings.push(`${rel}: ${describeError(err)}`)
      return
    }
    // Binary files (a NUL byte anywhere) are skipped, as ripgrep skips them.
    if (buf.includes(0)) return
    let text = buf.toString('utf8')
    if (text.startsWith('\uFEFF')) text = text.slice(1)
    const found = searchText(text, req.regex, req.context, req.maxMatches - total)
    if (found.matches.length) {
      files.push({ path: rel, matches: found.matches, context: found.context })
      total += found.matches.length
    }
    if (found.more) more = true
  }

  if (req.targetIsFile) {
    const rel = relativePath(req.root, req.target)
    if (req.include(rel)) await searchFile(req.target, rel)
    return { files, more, warnings, tooLarge, secretFiles }
  }
  for await (const entry of walk({
    fs: req.fs,
    root: req.root,
    start: req.target,
    signal: req.signal,
    onError: (rel, message) => warnings.push(`${rel}: ${message}`),
  })) {
    if (more || req.signal.aborted) break
    if (!entry.isFile || !req.include(entry.rel)) continue
    await searchFile(entry.abs, entry.rel)
  }
  return { files, more, warnings, tooLarge, secretFiles }
}
