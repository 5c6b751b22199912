/**
 * The paths the policy protects whatever the tool: Paddock's data folder, the credential folders
 * (`~/.ssh`, `~/.aws`, `~/.gnupg`, `~/.config/gh`), process environments (`/proc/<pid>/environ`),
 * files whose name says they hold secrets, and anything outside the workspace. A word of a command
 * line is judged as the path it names; a glob is expanded only inside the workspace, and outside it
 * judged by the folder it starts from. No file is read, only folders listed.
 */
import { readdirSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { isSecretFileName } from '../core/secret-files'
import { isWithin } from '../core/within'

/** Where the protected folders are. */
export interface PolicyPlaces {
  workspaceRoot: string
  /** The user's home folder (`~`). */
  home: string
  /** Paddock's data folder: its database, logs and `secrets.json`. */
  dataDir: string
  /**
   * The session's spill folder (inside the data folder): where its tools saved whole outputs they
   * showed only in part. `read` may page through it whatever the mode; nothing else there is read.
   */
  spillDir?: string
  /**
   * Folders outside the workspace `read` may read whatever the mode (the user's skills folders,
   * which the system prompt's skills index points into). Nothing else may touch them unasked.
   */
  readRoots?: readonly string[]
  /**
   * Whose file system rules apply (default: this machine's). On darwin and win32 the protected
   * folders are compared without case: `~/.SSH` is `~/.ssh` there.
   */
  platform?: NodeJS.Platform
}

/**
 * What a path touches, most serious first: `vault` (the data folder, a credential folder, a
 * process environment: refused in full-auto), `secret` (a secret file; `inside` the workspace or
 * not), `outside` (elsewhere outside the workspace).
 */
export interface Protection {
  level: 'vault' | 'secret' | 'outside'
  inside: boolean
  reason: string
}

/** The credential folders, under the home folder. */
export const CREDENTIAL_DIRS = ['.ssh', '.aws', '.gnupg', '.config/gh'] as const
/** Matches found by expanding one glob inside the workspace, at most. */
const MAX_GLOB_MATCHES = 500
const GLOB_CHARS = /[*?[{]/
const HARMLESS = new Set(['/dev/null', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/tty'])
const ENVIRON = /^\/proc\/.*\/environ$/
/** `/proc/<pid>/root/…` is `/…`, `/proc/<pid>/cwd/…` the (agent's) working folder. */
const PROC_ROOT = /^\/proc\/[^/]+\/root(?=\/|$)/
const PROC_CWD = /^\/proc\/[^/]+\/cwd(?=\/|$)/
const HOME_PREFIX = /^(~|\$HOME|\$\{HOME\})(?=\/|$)/
const PWD_PREFIX = /^(\$PWD|\$\{PWD\})(?=\/|$)/

const RANK = { vault: 3, secret: 2, outside: 1 } as const

/** The more serious of two findings. */
export function worse(a: Protection | null, b: Protection | null): Protection | null {
  if (!a) return b
  if (!b) return a
  const ra = RANK[a.level] + (a.level === 'secret' && !a.inside ? 0.5 : 0)
  const rb = RANK[b.level] + (b.level === 'secret' && !b.inside ? 0.5 : 0)
  return rb > ra ? b : a
}

function vault(reason: string): Protection {
  return { level: 'vault', inside: false, reason }
}

/** Whether the platform's file names ignore case. */
export function caseless(places: PolicyPlaces): boolean {
  const platform = places.platform ?? process.platform
  return platform === 'darwin' || platform === 'win32'
}

/** `isWithin`, without case where the platform ignores it. */
function within(root: string, abs: string, places: PolicyPlaces): boolean {
  return caseless(places) ? isWithin(root.toLowerCase(), abs.toLowerCase()) : isWithin(root, abs)
}

/** `/proc/<pid>/root/…` and `/proc/<pid>/cwd/…` rewritten to the paths they stand for. */
function throughProc(abs: string, places: PolicyPlaces): string {
  let path = abs
  for (let i = 0; i < 8; i++) {
    const next = path.replace(PROC_ROOT, '').replace(PROC_CWD, () => places.workspaceRoot)
    if (next === path) break
    path = next === '' ? sep : resolve(sep, next)
  }
  return path
}

/** The credential folder or data folder a path lies in, if any. */
function vaultOf(abs: string, places: PolicyPlaces): Protection | null {
  if (within(places.dataDir, abs, places)) return vault("it reads Paddock's data folder")
  for (const dir of CREDENTIAL_DIRS) {
    if (within(join(places.home, dir), abs, places))
      return vault(`it reads ~/${dir}, a credential folder`)
  }
  if (ENVIRON.test(abs)) return vault('it reads the environment of a process')
  return null
}

/** Whether a folder holds the data folder or a credential folder (a search there reaches them). */
export function holdsVault(abs: string, places: PolicyPlaces): boolean {
  return (
    within(abs, places.dataDir, places) ||
    CREDENTIAL_DIRS.some((dir) => within(abs, join(places.home, dir), places))
  )
}

/** `.ssh/…` written relative to somewhere else than the workspace (after a `cd`, in a URL). */
function credentialSegments(word: string, places: PolicyPlaces): Protection | null {
  if (/\s/.test(word)) return null
  const parts = (caseless(places) ? word.toLowerCase() : word).split('/')
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (
      p === '.ssh' ||
      p === '.aws' ||
      p === '.gnupg' ||
      (p === '.config' && parts[i + 1] === 'gh')
    ) {
      return vault(`it reads ${p === '.config' ? '.config/gh' : p}, a credential folder`)
    }
  }
  return null
}

/**
 * Judge an absolute, expanded path. A path inside the workspace is also judged where its symlinks
 * lead (for the protected folders and secret names: a linked workspace root is no reason to ask).
 */
export function judgePath(given: string, places: PolicyPlaces): Protection | null {
  const abs = throughProc(given, places)
  const v = vaultOf(abs, places)
  if (v) return v
  const inside = isWithin(places.workspaceRoot, abs)
  if (inside) {
    const real = realPath(abs)
    if (real !== abs) {
      const linked = vaultOf(real, places)
      if (linked) return linked
      if (isSecretPath(real)) {
        return { level: 'secret', inside, reason: 'the file looks like it holds secrets' }
      }
    }
  }
  if (isSecretPath(abs)) {
    return {
      level: 'secret',
      inside,
      reason: inside
        ? 'the file looks like it holds secrets'
        : 'a file outside the workspace that looks like it holds secrets',
    }
  }
  if (!inside && !HARMLESS.has(abs)) {
    return { level: 'outside', inside: false, reason: 'it names a path outside the workspace' }
  }
  return null
}

/** A secret file name, or a file whose folder makes it one (`.docker/config.json`). */
function isSecretPath(abs: string): boolean {
  const name = basename(abs)
  if (isSecretFileName(name)) return true
  return name.toLowerCase() === 'config.json' && basename(dirname(abs)).toLowerCase() === '.docker'
}

/** Where `abs` really is once links are followed (itself when it does not exist). */
export function realPath(abs: string): string {
  try {
    return realpathSync.native(abs)
  } catch {
    return abs
  }
}

/** `~`, `$HOME` and `$PWD` at the start of a word, replaced by what they stand for. */
function expandPrefix(word: string, places: PolicyPlaces): string {
  if (HOME_PREFIX.test(word)) return word.replace(HOME_PREFIX, () => places.home)
  if (PWD_PREFIX.test(word)) return word.replace(PWD_PREFIX, () => places.workspaceRoot)
  const user = /^~([A-Za-z0-9._-]+)(?=\/|$)/.exec(word)
  if (user) return join(dirname(places.home), user[1]!) + word.slice(user[0].length)
  return word
}

/**
 * What one word names, judged as a path. `dynamic` words with a parameter or substitution left
 * after expanding `~`/`$HOME`/`$PWD` are judged by their literal tail only; globs are expanded
 * inside the workspace.
 */
export function judgeWord(word: string, dynamic: boolean, places: PolicyPlaces): Protection | null {
  if (word === '' || word.startsWith('<(') || word.startsWith('>(')) return null
  const value = expandPrefix(word, places)
  const segments = credentialSegments(value, places)
  if (value.startsWith('/proc/') && (/[$`*?[{]/.test(value) || /\/environ$/.test(value))) {
    return vault('it reads a process’s files (its environment) under a path only known at run time')
  }
  if (/[$`]/.test(value)) {
    if (segments) return segments
    const tail = value.slice(value.lastIndexOf('/') + 1)
    if (tail && !/[$`]/.test(tail) && isSecretFileName(tail)) {
      return { level: 'secret', inside: false, reason: 'the file looks like it holds secrets' }
    }
    return null
  }
  const abs = isAbsolute(value) ? resolve(value) : resolve(places.workspaceRoot, value)
  const exact =
    !dynamic || !GLOB_CHARS.test(value) ? judgePath(abs, places) : judgeGlob(abs, places)
  const found = exact?.level === 'vault' ? exact : (segments ?? exact)
  // `HEAD:.env`, `host:path`: the path after a colon.
  const colon = value.lastIndexOf(':')
  if (colon === -1 || !isSecretFileName(basename(value.slice(colon + 1)))) return found
  return worse(found, {
    level: 'secret',
    inside: true,
    reason: 'the file looks like it holds secrets',
  })
}

/** A glob: expanded inside the workspace; outside it, judged by the folder it starts from. */
function judgeGlob(abs: string, places: PolicyPlaces): Protection | null {
  const parts = abs.split(sep)
  const first = parts.findIndex((p) => GLOB_CHARS.test(p))
  const base = parts.slice(0, first).join(sep) || sep
  const fixed = judgePath(base, places)
  if (fixed?.level === 'vault') return fixed
  if (!isWithin(places.workspaceRoot, base)) {
    if (holdsVault(base, places)) {
      return vault('its pattern reaches the credential folders or Paddock’s data folder')
    }
    return { level: 'outside', inside: false, reason: 'it names a path outside the workspace' }
  }
  let found: Protection | null = null
  for (const match of expandGlob(base, parts.slice(first))) {
    found = worse(found, judgePath(match, places))
    if (found?.level === 'vault') break
  }
  return found
}

function expandGlob(base: string, rest: string[]): string[] {
  let current = [base]
  for (const segment of rest) {
    if (segment === '') continue
    if (!GLOB_CHARS.test(segment)) {
      current = current.map((d) => join(d, segment))
      continue
    }
    const matches = picomatch(segment, { dot: segment.startsWith('.') })
    const next: string[] = []
    for (const dir of current) {
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        continue
      }
      for (const name of names) if (matches(name)) next.push(join(dir, name))
      if (next.length >= MAX_GLOB_MATCHES) break
    }
    current = next
  }
  return current
}
