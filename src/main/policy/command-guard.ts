/**
 * The path safeguards, for commands: what a subcommand's words, redirections, assignments and
 * globs name (`protected-paths.ts`), whether it prints the environment, and whether it searches a
 * folder that holds the credential folders or the data folder. A guarded subcommand is not
 * read-only for the policy: it asks, plan mode refuses it, and full-auto refuses what reaches the
 * data folder or a credential folder (and asks for a secret outside the workspace, or a `cd` to a
 * folder that holds those, since later relative paths are judged from the workspace).
 */
import { isAbsolute, resolve } from 'node:path'
import type { PolicyPlaces, Protection } from './protected-paths'
import { holdsVault, judgeWord, worse } from './protected-paths'
import type { Action } from './rules'
import type { WalkCache } from './secret-search'
import { searchedSecret } from './secret-search'
import type { SimpleCommand } from './shell-parse'

/** What one decision shares between its subcommands. */
export interface GuardScope {
  /** Variables assigned once earlier on the line (`x=.e; cat ${x}nv`), by name. */
  vars: Map<string, string>
  walks: WalkCache
}

/** A fresh scope for one command line. */
export function guardScope(): GuardScope {
  return { vars: new Map(), walks: new Map() }
}

const PARAM = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g

/** A word with the variables known on the line put in. */
function substitute(word: string, vars: ReadonlyMap<string, string>): string {
  if (!word.includes('$') || vars.size === 0) return word
  return word.replace(PARAM, (m, a?: string, b?: string) => vars.get(a ?? b ?? '') ?? m)
}

/**
 * Record the bare assignments of a subcommand (`x=.e` alone): a name assigned twice on the line is
 * forgotten, since which value a later word sees depends on the path taken.
 */
export function noteAssignments(cmd: SimpleCommand, scope: GuardScope, seen: Set<string>): void {
  if (cmd.argv.length > 0) return
  for (const a of cmd.assignments) {
    const eq = a.indexOf('=')
    const name = a.slice(0, eq).replace(/\+$/, '')
    if (seen.has(name)) {
      scope.vars.delete(name)
      continue
    }
    seen.add(name)
    const value = substitute(a.slice(eq + 1), scope.vars)
    if (!/[$`]/.test(value)) scope.vars.set(name, value)
  }
}

export interface CommandGuard {
  reason: string
  /** Worth flagging in the approval UI (a secret, a protected folder, the environment). */
  flag: boolean
  /** What full-auto does with it (undefined: full-auto's own allow stands). */
  fullAuto?: Extract<Action, 'ask' | 'deny'>
}

/** Programs that print (or take) a pattern or script first, not a path. */
const PATTERN_FIRST: Record<string, { withValue: string; explicit: RegExp }> = {
  grep: { withValue: 'ABCDdefm', explicit: /^(-[^-]*[ef]|--regexp|--file)/ },
  egrep: { withValue: 'ABCDdefm', explicit: /^(-[^-]*[ef]|--regexp|--file)/ },
  fgrep: { withValue: 'ABCDdefm', explicit: /^(-[^-]*[ef]|--regexp|--file)/ },
  rg: { withValue: 'ABCefgMmTtj', explicit: /^(-[^-]*[ef]|--regexp|--file)/ },
  ag: { withValue: 'ABCGgm', explicit: /^$/ },
  ack: { withValue: 'ABCm', explicit: /^$/ },
  sed: { withValue: 'efl', explicit: /^(-[^-]*[ef]|--expression|--file)/ },
  awk: { withValue: 'Fvf', explicit: /^(-f|-e|--file|--source)/ },
  gawk: { withValue: 'Fvf', explicit: /^(-f|-e|--file|--source)/ },
  mawk: { withValue: 'Fvf', explicit: /^(-f|-e|--file|--source)/ },
  jq: { withValue: 'L', explicit: /^(-f|--from-file)/ },
}
/** Programs that print their arguments: only a secret or a protected folder counts there. */
const PRINTS_ARGS = new Set(['echo', 'printf'])
const RECURSIVE_FLAG = /^(-[^-]*[rR]|--recursive$|--dereference-recursive$)/
const ALWAYS_RECURSIVE = new Set(['rg', 'ag', 'ack', 'find', 'fd', 'tar', 'rsync'])
const FLAG_RECURSIVE = new Set(['grep', 'egrep', 'fgrep', 'cp', 'scp', 'zip'])

function program(cmd: SimpleCommand): string {
  const p = cmd.argv[0] ?? ''
  return p.slice(p.lastIndexOf('/') + 1)
}

/** Indexes of argv (from 1) that are a pattern or script rather than a path. */
function patternIndex(name: string, args: readonly string[]): number {
  const spec = PATTERN_FIRST[name]
  if (!spec) return -1
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') return i + 1 < args.length ? i + 1 : -1
    if (spec.explicit.test(a)) return -1
    if (/^-[^-]/.test(a)) {
      const last = a[a.length - 1]!
      if (a.length === 2 && spec.withValue.includes(last)) i++
      continue
    }
    if (a.startsWith('--')) continue
    return i
  }
  return -1
}

/** Does it print the environment (which the model should not see without the user)? */
function printsEnvironment(cmd: SimpleCommand): boolean {
  const name = program(cmd)
  const args = cmd.argv.slice(1)
  switch (name) {
    case 'env':
    case 'printenv':
      return true
    case 'set':
      return args.length === 0
    case 'export':
    case 'declare':
    case 'typeset':
      return args.length === 0 || args.every((a) => /^-[a-zA-Z]*[xp]/.test(a))
    case 'ps':
      // BSD-style `ps e`, `ps auxe`: the environment of each process.
      return /^[a-zA-Z]*e[a-zA-Z]*$/.test(args[0] ?? '')
    default:
      return false
  }
}

/** A search's exclusion (`--exclude=.env`, `-g '!.env'`): names a file it leaves out. */
function excludes(arg: string, before: string | undefined): boolean {
  if (/^--(exclude|exclude-dir|glob|iglob)=/.test(arg)) return !/^--i?glob=[^!]/.test(arg)
  if (before === '--exclude' || before === '--exclude-dir') return true
  return arg.startsWith('!') && /^(-g|--glob|--iglob)$/.test(before ?? '')
}

function isRecursive(name: string, args: readonly string[]): boolean {
  if (ALWAYS_RECURSIVE.has(name)) return true
  if (!FLAG_RECURSIVE.has(name)) return false
  return args.some(
    (a) => RECURSIVE_FLAG.test(a) || (name === 'cp' && /^(-[^-]*a|--archive)$/.test(a)),
  )
}

/** The guard of one subcommand, or null when it names nothing protected. */
export function commandGuard(
  cmd: SimpleCommand,
  places: PolicyPlaces,
  scope: GuardScope = guardScope(),
): CommandGuard | null {
  const name = program(cmd)
  const dyn = cmd.argvDynamic.slice(1)
  const args = cmd.argv.slice(1).map((a, i) => (dyn[i] ? substitute(a, scope.vars) : a))
  const skip = patternIndex(name, args)
  const printing = PRINTS_ARGS.has(name)
  let found: Protection | null = null
  const judge = (word: string, dynamic: boolean, outsideCounts = true): void => {
    let p = judgeWord(word, dynamic, places)
    const eq = word.indexOf('=')
    if (eq > 0) p = worse(p, judgeWord(word.slice(eq + 1), dynamic, places))
    if (p && p.level === 'outside' && !outsideCounts) p = null
    found = worse(found, p)
  }
  const head = cmd.argv[0]
  if (head?.includes('/')) judge(head, cmd.argvDynamic[0] ?? false, false)
  args.forEach((a, i) => {
    if (i !== skip && !excludes(a, args[i - 1])) judge(a, dyn[i] ?? false, !printing)
  })
  for (const r of cmd.readsFiles) {
    judge(r.dynamic ? substitute(r.target, scope.vars) : r.target, r.dynamic)
  }
  for (const w of cmd.writesFiles) judge(w.target, /[$`*?[{]/.test(w.target))
  for (const a of cmd.assignments) judge(a.slice(a.indexOf('=') + 1), /[$`]/.test(a), false)

  if (isRecursive(name, args)) {
    args.forEach((a, i) => {
      if (i === skip || a.startsWith('-') || dyn[i]) return
      const v = a === '~' || a.startsWith('~/') ? places.home + a.slice(1) : a
      const abs = isAbsolute(v) ? v : resolve(places.workspaceRoot, v)
      if (holdsVault(abs, places)) {
        found = worse(found, {
          level: 'vault',
          inside: false,
          reason: `it searches ${a}, which holds the credential folders or Paddock’s data folder`,
        })
      }
    })
  }
  found = worse(found, searchedSecret(name, args, places, scope.walks))
  const p = found as Protection | null
  if (p?.level === 'vault') return { reason: p.reason, flag: true, fullAuto: 'deny' }
  if (p?.level === 'secret') {
    return { reason: p.reason, flag: true, ...(p.inside ? {} : { fullAuto: 'ask' }) }
  }
  const cd = name === 'cd' || name === 'pushd' ? movesNearVault(args, dyn, places) : null
  if (cd) return cd
  if (p) return { reason: p.reason, flag: false }
  if (printsEnvironment(cmd)) return { reason: 'it prints the environment', flag: true }
  return null
}

/**
 * `cd` to a folder that holds the data folder or a credential folder (or to one only known at run
 * time): later commands' relative paths are judged from the workspace, and would reach them.
 */
function movesNearVault(
  args: readonly string[],
  dyn: readonly boolean[],
  places: PolicyPlaces,
): CommandGuard | null {
  const i = args.findIndex((a) => !a.startsWith('-') || a === '-')
  const target = args[i] ?? '~'
  const guard: CommandGuard = {
    reason: 'it moves to a folder that holds the credential folders or Paddock’s data folder',
    flag: true,
    fullAuto: 'ask',
  }
  if (target === '-' || dyn[i])
    return { ...guard, reason: 'it moves to a folder only known at run time' }
  const v = target === '~' || target.startsWith('~/') ? places.home + target.slice(1) : target
  const abs = isAbsolute(v) ? v : resolve(places.workspaceRoot, v)
  if (abs === '/proc' || abs.startsWith('/proc/')) {
    return { ...guard, reason: 'it moves into /proc, where processes’ environments are' }
  }
  return holdsVault(abs, places) ? guard : null
}
