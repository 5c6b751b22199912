/**
 * Recursive searches (`grep -r`, `rg`, `ag`, `ack`, `git grep`) over a folder of the workspace that
 * holds a file whose name says it holds secrets: such a search prints that file's lines. The folder
 * is walked (skipping `.git` and `node_modules`, at most `MAX_ENTRIES` entries, stopping at the
 * first secret) unless the search excludes those names (`--exclude=.env`, `-g '!.env'`).
 */
import type { Dirent } from 'node:fs'
import { readdirSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import picomatch from 'picomatch'
import { isSecretFileName } from '../core/secret-files'
import { isWithin } from '../core/within'
import type { PolicyPlaces, Protection } from './protected-paths'

/** Entries visited by one walk, at most: a bigger workspace is judged by what was seen. */
const MAX_ENTRIES = 20_000
const SKIPPED = new Set(['.git', 'node_modules'])

/** Walks already made while deciding one command: folder → the secret found (or null). */
export type WalkCache = Map<string, string | null>

interface SearchSpec {
  /** Options followed by a value, as single letters. */
  withValue: string
  explicit: RegExp
}
const GREP: SearchSpec = { withValue: 'ABCDdefm', explicit: /^(-[^-]*[ef]|--regexp|--file)/ }
const SPECS: Record<string, SearchSpec> = {
  grep: GREP,
  egrep: GREP,
  fgrep: GREP,
  rg: { withValue: 'ABCefgMmTtj', explicit: /^(-[^-]*[ef]|--regexp|--file)/ },
  ag: { withValue: 'ABCGgm', explicit: /^$/ },
  ack: { withValue: 'ABCm', explicit: /^$/ },
}
const RECURSIVE = /^(-[^-]*[rR]|--recursive$|--dereference-recursive$)/

/** The search a command makes: its program's spec and its arguments, or null. */
function searchOf(name: string, args: readonly string[]): [SearchSpec, string[]] | null {
  if (name === 'git' && args[0] === 'grep') return [GREP, args.slice(1)]
  const spec = SPECS[name]
  if (!spec) return null
  if (spec === GREP && !args.some((a) => RECURSIVE.test(a))) return null
  return [spec, [...args]]
}

/** The folders searched and the file-name globs excluded. */
interface Search {
  paths: string[]
  /** File-name globs left out, and (when any) the only ones searched. */
  excluded: string[]
  included: string[]
}

function parse(spec: SearchSpec, args: string[]): Search {
  const positional: string[] = []
  const excluded: string[] = []
  const included: string[] = []
  let explicit = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    const long = /^--(exclude|include|glob|iglob)(?:=(.*))?$/.exec(a)
    if (long) {
      const value = long[2] ?? args[++i] ?? ''
      if (long[1] === 'exclude') excluded.push(value)
      else if (long[1] === 'include') included.push(value)
      else glob(value, excluded, included)
      continue
    }
    if (spec.explicit.test(a)) explicit = true
    if (/^-[^-]/.test(a)) {
      const last = a[a.length - 1]!
      if (a.length === 2 && spec.withValue.includes(last)) {
        const value = args[++i] ?? ''
        if (last === 'g') glob(value, excluded, included)
      }
      continue
    }
    if (a.startsWith('-')) continue
    positional.push(a)
  }
  const paths = explicit ? positional : positional.slice(1)
  return { paths: paths.length ? paths : ['.'], excluded, included }
}

/** An `rg -g` glob: `!x` leaves x out, `x` searches only x (and the other such globs). */
function glob(value: string, excluded: string[], included: string[]): void {
  if (value.startsWith('!')) excluded.push(value.slice(1))
  else included.push(value)
}

function matcher(globs: string[]): (name: string) => boolean {
  const tests = globs.map((g) => picomatch(g.replace(/^\*\*\//, ''), { dot: true }))
  return (name) => tests.some((t) => t(name))
}

/** The first secret-named file under a folder that no exclusion covers, or null. */
function firstSecret(dir: string, search: Search): string | null {
  const skipped = matcher(search.excluded)
  const kept = search.included.length ? matcher(search.included) : () => true
  const queue = [dir]
  let seen = 0
  while (queue.length) {
    const current = queue.shift()!
    let entries: Dirent[]
    try {
      entries = readdirSync(current, { withFileTypes: true })
    } catch {
      continue
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return null
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) queue.push(join(current, e.name))
      } else if (isSecretFileName(e.name) && !skipped(e.name) && kept(e.name)) {
        return join(current, e.name)
      }
    }
  }
  return null
}

/** What a recursive search of the workspace reaches: a secret file it would print, or null. */
export function searchedSecret(
  name: string,
  args: readonly string[],
  places: PolicyPlaces,
  cache: WalkCache,
): Protection | null {
  const search = searchOf(name, args)
  if (!search) return null
  const parsed = parse(...search)
  for (const p of parsed.paths) {
    // A path only known at run time asks anyway; a glob is walked from the folder it starts in.
    if (/[$`]/.test(p)) continue
    const fixed = p.split('/').findIndex((part) => /[*?[{]/.test(part))
    const folder =
      fixed === -1 ? p : p.split('/').slice(0, fixed).join('/') || (p.startsWith('/') ? '/' : '.')
    const abs = isAbsolute(folder) ? resolve(folder) : resolve(places.workspaceRoot, folder)
    if (!isWithin(places.workspaceRoot, abs)) continue
    const key = [abs, ...parsed.excluded, '', ...parsed.included].join('\0')
    if (!cache.has(key)) cache.set(key, firstSecret(abs, parsed))
    const found = cache.get(key)
    if (found) {
      const rel = relative(places.workspaceRoot, found)
      return {
        level: 'secret',
        inside: true,
        reason: `it searches ${p}, which holds ${rel}, a file that looks like it holds secrets`,
      }
    }
  }
  return null
}
