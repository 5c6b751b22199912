import ignore from 'ignore'
import type { Ignore } from 'ignore'
import { join } from 'node:path'
import { describeError, errnoCode } from './fs-errors'
import { relativePath } from './paths'
import type { FsOps } from './types'

/**
 * Compare two `/`-separated relative paths name by name (code-unit order), so a folder's contents
 * sort right after the folder: `a/b.ts` < `a-c.ts`. This is the order a sorted depth-first walk
 * produces, and the order `rg --sort path` prints.
 */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/')
  const bs = b.split('/')
  const n = Math.min(as.length, bs.length)
  for (let i = 0; i < n; i++) {
    const x = as[i] ?? ''
    const y = bs[i] ?? ''
    if (x !== y) return x < y ? -1 : 1
  }
  return as.length - bs.length
}

function escapeGitignore(rel: string): string {
  return rel.replace(/[\\*?[\]]/g, '\\$&').replace(/ $/, '\\ ')
}

/**
 * The `.gitignore` rules of a workspace, as Git applies them: every folder's `.gitignore` governs
 * the paths below it, deeper files override shallower ones (a `!pattern` re-includes), and the
 * root's `.git/info/exclude` counts as part of the root's rules. Files are read lazily and cached.
 *
 * A walk that starts in a sub-folder the user named explicitly searches it even if it is itself
 * ignored (as ripgrep does with a path it is given); rules that match paths inside it still apply.
 */
export class IgnoreRules {
  private readonly matchers = new Map<string, Promise<Ignore | null>>()
  /** Folders from the root down to the explicit start (root excluded), re-included. */
  private readonly forced: string[]

  constructor(
    private readonly fs: FsOps,
    /** Real path of the workspace root. */
    private readonly root: string,
    /** Relative path of the folder the walk was asked to start in ('.' or '' for the root). */
    start = '',
  ) {
    const parts = start === '.' || start === '' ? [] : start.split('/')
    this.forced = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
  }

  /** Whether `rel` (relative to the root, no leading `./`) is ignored. Folders never descended into
   * by a walk are not re-checked here: callers test each path as the walk reaches it. */
  async isIgnored(rel: string, isDir: boolean): Promise<boolean> {
    const parts = rel.split('/')
    let ignored = false
    for (let depth = 0; depth < parts.length; depth++) {
      const base = parts.slice(0, depth).join('/')
      const matcher = await this.matcher(base)
      if (!matcher) continue
      const sub = parts.slice(depth).join('/') + (isDir ? '/' : '')
      const result = matcher.test(sub)
      if (result.ignored) ignored = true
      else if (result.unignored) ignored = false
    }
    return ignored
  }

  private matcher(base: string): Promise<Ignore | null> {
    let found = this.matchers.get(base)
    if (!found) {
      found = this.load(base)
      this.matchers.set(base, found)
    }
    return found
  }

  private async load(base: string): Promise<Ignore | null> {
    const dir = base === '' ? this.root : join(this.root, base)
    const sources = [join(dir, '.gitignore')]
    if (base === '') sources.push(join(dir, '.git', 'info', 'exclude'))
    const texts: string[] = []
    for (const file of sources) {
      try {
        texts.push((await this.fs.readFile(file)).toString('utf8'))
      } catch (err) {
        // A folder without a .gitignore is the common case; an unreadable one is treated the same
        // (searching a little more is the safe side).
        const code = errnoCode(err)
        if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES' && code !== 'EISDIR') {
          throw err
        }
      }
    }
    const prefix = base === '' ? '' : `${base}/`
    const forced = this.forced
      .filter((f) => f.startsWith(prefix) && f !== base)
      .map((f) => `!/${escapeGitignore(f.slice(prefix.length))}/`)
    if (texts.length === 0 && forced.length === 0) return null
    // A string is split into rules on newlines; an array's elements are taken as single rules.
    return ignore({ ignorecase: false }).add(texts.join('\n')).add(forced)
  }
}

export interface WalkEntry {
  /** Relative to the workspace root, `/`-separated. */
  rel: string
  /** Absolute (real root + rel). */
  abs: string
  name: string
  isFile: boolean
  isDirectory: boolean
  /** Symlinks are reported, never followed. */
  isSymbolicLink: boolean
}

export interface WalkOptions {
  fs: FsOps
  /** Real path of the workspace root. */
  root: string
  /** Real path of the folder to walk (inside the root). */
  start: string
  signal?: AbortSignal
  /** Honour .gitignore files (default true). `.git` folders are skipped either way. */
  gitignore?: boolean
  /** Receives folders that could not be listed (the walk goes on without them). */
  onError?: (rel: string, message: string) => void
}

/**
 * Every file, folder and symlink below `start`, depth first, names sorted in code-unit order (so
 * the output is in `comparePaths` order). Skips `.git` (folder or file) at every level, and, unless
 * told otherwise, whatever `.gitignore` rules exclude; ignored folders are not entered.
 */
export async function* walk(options: WalkOptions): AsyncGenerator<WalkEntry> {
  const { fs, root, start, signal } = options
  const startRel = relativePath(root, start)
  const rules = options.gitignore === false ? null : new IgnoreRules(fs, root, startRel)

  async function* visit(dir: string, dirRel: string): AsyncGenerator<WalkEntry> {
    if (signal?.aborted) return
    let entries
    try {
      entries = await fs.readdir(dir)
    } catch (err) {
      options.onError?.(dirRel, describeError(err))
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      if (signal?.aborted) return
      if (e.name === '.git') continue
      const rel = dirRel === '.' ? e.name : `${dirRel}/${e.name}`
      if (rules && (await rules.isIgnored(rel, e.isDirectory))) continue
      const abs = join(dir, e.name)
      yield { rel, abs, name: e.name, ...flags(e) }
      if (e.isDirectory && !e.isSymbolicLink) yield* visit(abs, rel)
    }
  }
  yield* visit(start, startRel)
}

function flags(e: { isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }): {
  isFile: boolean
  isDirectory: boolean
  isSymbolicLink: boolean
} {
  return { isFile: e.isFile, isDirectory: e.isDirectory, isSymbolicLink: e.isSymbolicLink }
}
