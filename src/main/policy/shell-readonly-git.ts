/**
 * Which git invocations are read-only, for plan mode. Only subcommands that report are allowed,
 * and for those that can also change things (branch, tag, remote, config, stash, reflog) only
 * their listing forms.
 */

/** Subcommands that only read, refused only with options that write a file or run a program. */
const READ_SUBCOMMANDS = new Set([
  ...['status', 'log', 'diff', 'show', 'blame', 'annotate', 'grep', 'ls-files', 'ls-tree'],
  ...['rev-parse', 'describe', 'shortlog', 'cat-file', 'rev-list', 'merge-base', 'name-rev'],
  ...['show-ref', 'for-each-ref', 'whatchanged', 'count-objects', 'check-ignore', 'check-attr'],
  ...['diff-tree', 'diff-files', 'diff-index', 'show-branch', 'var', 'cherry', 'range-diff'],
  ...['version', 'help', 'verify-commit', 'verify-tag', 'ls-remote'],
])

/** Explicit refusals, so the reason names what the command would do. */
const CHANGES: Record<string, string> = {
  checkout: 'changes the working tree and HEAD',
  switch: 'changes HEAD and the working tree',
  restore: 'discards changes in the working tree',
  reset: 'moves HEAD and can discard changes',
  clean: 'deletes untracked files',
  commit: 'creates a commit',
  push: 'publishes commits to a remote',
  pull: 'fetches and merges into the working tree',
  fetch: 'updates remote-tracking refs',
  merge: 'merges into the current branch',
  rebase: 'rewrites history',
  'cherry-pick': 'creates commits',
  revert: 'creates commits',
  add: 'changes the index',
  rm: 'deletes files',
  mv: 'moves files',
  stash: 'changes the working tree',
  apply: 'changes files',
  am: 'creates commits',
  init: 'creates a repository',
  clone: 'creates a repository',
  gc: 'rewrites the object store',
  prune: 'deletes objects',
  'update-ref': 'changes refs',
  'filter-branch': 'rewrites history',
  'format-patch': 'writes patch files',
  bisect: 'changes HEAD',
  worktree: 'changes worktrees',
  submodule: 'changes submodules',
  notes: 'changes notes',
}

const GLOBAL_WITH_VALUE = new Set(['-C', '--git-dir', '--work-tree', '--namespace'])
const GLOBAL_FLAGS = new Set([
  ...['--no-pager', '-P', '--paginate', '-p', '--no-optional-locks', '--literal-pathspecs'],
  ...['--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--no-replace-objects'],
  '--bare',
])

function startsWithAny(a: string, ...prefixes: string[]): boolean {
  return prefixes.some((p) => a === p || a.startsWith(`${p}=`))
}

/** Why `git <args>` is not read-only, or undefined. */
export function checkGit(args: readonly string[]): string | undefined {
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]!
    if (GLOBAL_WITH_VALUE.has(a)) i++
    else if ([...GLOBAL_WITH_VALUE].some((o) => o.startsWith('--') && a.startsWith(`${o}=`)))
      continue
    else if (GLOBAL_FLAGS.has(a)) continue
    else if (a === '--version' || a === '--help') return undefined
    else if (a === '-c' || startsWithAny(a, '--config-env', '--exec-path')) {
      return `git ${a} can set configuration that runs programs`
    } else if (a.startsWith('-')) return `unrecognised git option ${a}`
    else break
  }
  const sub = args[i]
  const rest = args.slice(i + 1)
  if (sub === undefined) return undefined
  if (READ_SUBCOMMANDS.has(sub)) return readOptions(sub, rest)
  switch (sub) {
    case 'branch':
      return listing('branch', rest, /^-[arvil]+$/, 'creates a branch', {
        '-d': 'deletes a branch',
        '-D': 'deletes a branch',
        '--delete': 'deletes a branch',
        '-m': 'renames a branch',
        '-M': 'renames a branch',
        '--move': 'renames a branch',
      })
    case 'tag':
      return listing('tag', rest, /^-(l|n[0-9]*|i)$/, 'creates a tag', {
        '-d': 'deletes a tag',
        '--delete': 'deletes a tag',
      })
    case 'remote':
      if (rest.every((a) => a === '-v' || a === '--verbose')) return undefined
      if (['get-url', 'show'].includes(rest[0] ?? '')) return undefined
      return `git remote ${rest[0]} changes remotes`
    case 'config':
      return config(rest)
    case 'stash':
      if (['list', 'show'].includes(rest[0] ?? '')) return undefined
      return `git stash${rest[0] ? ` ${rest[0]}` : ''} ${CHANGES.stash}`
    case 'reflog':
      if (['expire', 'delete'].includes(rest[0] ?? ''))
        return `git reflog ${rest[0]} deletes entries`
      return undefined
    case 'worktree':
      return rest[0] === 'list' ? undefined : `git worktree ${CHANGES.worktree}`
    case 'submodule':
      return rest[0] === 'status' ? undefined : `git submodule ${CHANGES.submodule}`
    case 'notes':
      return ['list', 'show'].includes(rest[0] ?? '') ? undefined : `git notes ${CHANGES.notes}`
  }
  const change = CHANGES[sub]
  return change ? `git ${sub} ${change}` : `git ${sub} is not on the read-only list`
}

function readOptions(sub: string, rest: readonly string[]): string | undefined {
  for (const a of rest) {
    if (a === '--') break
    if (startsWithAny(a, '--output')) return `git ${sub} --output writes a file`
    if (sub === 'grep' && (a === '-O' || a.startsWith('-O') || a.startsWith('--open-files'))) {
      return 'git grep -O runs a pager program'
    }
  }
  return undefined
}

const LISTING_WITH_VALUE = [
  ...['--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--sort'],
  '--format',
]
const LISTING_FLAGS = new Set([
  ...['--all', '--remotes', '--verbose', '--list', '--show-current', '--ignore-case'],
  ...['--no-color', '--color', '--no-column', '--column', '--omit-empty', '--abbrev'],
])

/** `git branch`/`git tag` in list mode only: operands are patterns only with `--list`. */
function listing(
  sub: string,
  rest: readonly string[],
  shortFlags: RegExp,
  createWhy: string,
  named: Record<string, string>,
): string | undefined {
  let list = false
  let operands = 0
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (a === '--list' || /^-[a-z]*l/.test(a)) list = true
    if (named[a]) return `git ${sub} ${a} ${named[a]}`
    if (shortFlags.test(a) || LISTING_FLAGS.has(a.split('=')[0]!)) continue
    if (LISTING_WITH_VALUE.some((o) => a.startsWith(`${o}=`))) continue
    if (LISTING_WITH_VALUE.includes(a)) {
      // --contains and friends take an optional commit; --sort/--format need one.
      const next = rest[i + 1]
      if (next !== undefined && !next.startsWith('-')) i++
      continue
    }
    if (a.startsWith('-')) return `git ${sub} ${a} is not a listing option`
    operands++
  }
  return operands > 0 && !list ? `git ${sub} <name> ${createWhy}` : undefined
}

const CONFIG_READ_MODES = [
  ...['--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '-l', '--get-color'],
  '--get-colorbool',
]
const CONFIG_MODIFIERS = new Set([
  ...['--global', '--system', '--local', '--worktree', '--show-origin', '--show-scope'],
  ...['--name-only', '-z', '--null', '--bool', '--int', '--path', '--includes', '--no-includes'],
  ...['--all', '--fixed-value', '--bool-or-int', '--expiry-date'],
])
const CONFIG_WITH_VALUE = ['--file', '-f', '--blob', '--type', '--default', '--value', '--url']

function config(rest: readonly string[]): string | undefined {
  if (rest[0] === 'get' || rest[0] === 'list') return undefined
  let read = false
  let operands = 0
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!
    if (CONFIG_READ_MODES.includes(a)) read = true
    else if (CONFIG_MODIFIERS.has(a)) continue
    else if (CONFIG_WITH_VALUE.includes(a)) i++
    else if (CONFIG_WITH_VALUE.some((o) => a.startsWith(`${o}=`))) continue
    else if (a.startsWith('-')) return `git config ${a} changes configuration`
    else operands++
  }
  // `git config name` reads the value; `git config name value` sets it.
  if (read || operands === 1) return undefined
  return operands === 0 ? 'git config without --get or --list edits' : 'git config sets a value'
}
