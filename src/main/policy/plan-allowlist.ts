/**
 * Plan mode's allowlist: the commands that only read. Anything not listed here is refused, and
 * listed commands whose options can write (sed -i, sort -o, git checkout, …) are checked form by
 * form. Decisions are per subcommand, on the output of `parseShell` (wrappers already unwrapped,
 * so `xargs cat` is checked as `cat` and `bash -c '…'` as the commands inside).
 */
import type { SimpleCommand } from './shell-parse'
import type { ArgCheck } from './shell-readonly-checks'
import {
  checkAwk,
  checkCargo,
  checkDate,
  checkFind,
  checkGo,
  checkHostname,
  checkOption,
  checkPackageManager,
  checkSed,
  checkSort,
  checkTop,
  checkUniq,
  checkVersionOnly,
} from './shell-readonly-checks'
import { checkGit } from './shell-readonly-git'

export interface ReadOnlyRule {
  /** What the command does and, when checked, which forms are refused. */
  readonly description: string
  /** Why this invocation (arguments after the program name) is not read-only, or undefined. */
  readonly check?: ArgCheck
  /**
   * Arguments only known at run time (`$X`, `$(…)`, globs) could turn into refused options, so
   * for checked commands they are refused: 'before-dashdash' (default) refuses them before a `--`,
   * 'all' everywhere.
   */
  readonly expandedArgs?: 'before-dashdash' | 'all'
}

export type ReadOnlyVerdict = { ok: true } | { ok: false; why: string }

const plain = (description: string): ReadOnlyRule => ({ description })
const checked = (
  description: string,
  check: ArgCheck,
  expandedArgs?: ReadOnlyRule['expandedArgs'],
): ReadOnlyRule => ({ description, check, expandedArgs })

const READS_FILES = 'reads files or standard input and prints'
const REPORTS = 'reports on the system or environment'

export const READ_ONLY_COMMANDS: ReadonlyMap<string, ReadOnlyRule> = new Map<string, ReadOnlyRule>([
  ...(
    [
      ...['cat', 'head', 'tail', 'wc', 'nl', 'tac', 'rev', 'cut', 'tr', 'paste', 'join', 'comm'],
      ...['fold', 'expand', 'unexpand', 'column', 'od', 'hexdump', 'strings', 'diff', 'cmp'],
      ...['md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'cksum', 'b2sum', 'grep', 'egrep'],
      ...['fgrep', 'jq'],
    ] as const
  ).map((name): [string, ReadOnlyRule] => [name, plain(READS_FILES)]),
  ...(
    [
      ...['ls', 'pwd', 'stat', 'du', 'df', 'basename', 'dirname', 'realpath', 'readlink', 'which'],
      ...['type', 'uname', 'whoami', 'id', 'groups', 'ps', 'uptime', 'nproc', 'arch', 'tty'],
      ...['printenv', 'locale', 'env'],
    ] as const
  ).map((name): [string, ReadOnlyRule] => [name, plain(REPORTS)]),
  ...(
    ['echo', 'printf', 'true', 'false', ':', 'test', '[', '[[', 'expr', 'seq', 'sleep'] as const
  ).map((name): [string, ReadOnlyRule] => [name, plain('prints or tests; no side effects')]),
  ['cd', plain('changes the shell directory only')],
  ['command', plain('left only as command -v/-V, which looks a name up')],
  ['xargs', plain('left only when it runs no command, and then it echoes')],
  [
    'tree',
    checked(
      REPORTS + '; not -o, which writes a file',
      checkOption((a) => a.startsWith('-o'), 'tree -o writes a file'),
    ),
  ],
  [
    'file',
    checked(
      REPORTS + '; not -C, which compiles a magic file',
      checkOption((a) => /^(-C|--compile)$/.test(a), 'file -C writes a file'),
    ),
  ],
  [
    'rg',
    checked(
      READS_FILES + '; not --pre, which runs a program',
      checkOption((a) => a === '--pre' || a.startsWith('--pre='), 'rg --pre runs a program'),
    ),
  ],
  [
    'fd',
    checked(
      REPORTS + '; not -x/-X, which run commands',
      checkOption(
        (a) => /^-[A-Za-z0-9]*[xX]/.test(a) || a.startsWith('--exec'),
        'fd -x runs commands',
      ),
    ),
  ],
  [
    'yq',
    checked(
      READS_FILES + '; not -i/--inplace',
      checkOption(
        (a) => /^-[a-z]*i/.test(a) || a.startsWith('--inplace'),
        'yq -i edits files in place',
      ),
    ),
  ],
  ['sed', checked(READS_FILES + '; not -i, -f, or scripts with w/W/e', checkSed)],
  ['awk', checked(READS_FILES + '; not -i/-f, or programs with system(), | or >', checkAwk)],
  ['gawk', checked(READS_FILES + '; as awk', checkAwk)],
  ['mawk', checked(READS_FILES + '; as awk', checkAwk)],
  [
    'find',
    checked(
      REPORTS + '; not -delete or -fprint*; -exec is checked as its own command',
      checkFind,
      'all',
    ),
  ],
  ['sort', checked(READS_FILES + '; not -o or --compress-program', checkSort)],
  ['uniq', checked(READS_FILES + '; not with an OUTPUT operand', checkUniq)],
  ['date', checked(REPORTS + '; not -s or a time to set', checkDate)],
  ['hostname', checked(REPORTS + '; not setting a name', checkHostname)],
  ['top', checked(REPORTS + '; batch mode (-b) only', checkTop)],
  [
    'git',
    checked(
      'read subcommands only (status, log, diff, show, blame, …); ' +
        'branch, tag, remote, config and stash only to list',
      checkGit,
    ),
  ],
  [
    'npm',
    checked(
      'ls, view, outdated, why, config get/list, audit (no fix), --version',
      checkPackageManager('npm'),
    ),
  ],
  [
    'pnpm',
    checked(
      'ls, view, outdated, why, config get/list, audit (no fix), --version',
      checkPackageManager('pnpm'),
    ),
  ],
  ['yarn', checked('info, why, config get/list, --version', checkPackageManager('yarn'))],
  ['cargo', checked('tree, metadata, --version', checkCargo)],
  ['go', checked('version, env (no -w/-u)', checkGo)],
  ...(
    [
      ...['node', 'python', 'python3', 'ruby', 'rustc', 'deno', 'bun', 'java', 'tsc', 'gcc'],
      ...['clang', 'make', 'pip', 'pip3', 'npx'],
    ] as const
  ).map((name): [string, ReadOnlyRule] => [
    name,
    checked('--version only', checkVersionOnly(name)),
  ]),
])

/** Refusal reasons for common commands, so plan mode can say what they would do. */
const NOT_READ_ONLY: Record<string, string> = {
  tee: 'tee writes to files',
  rm: 'rm deletes files',
  rmdir: 'rmdir deletes directories',
  mv: 'mv moves files',
  cp: 'cp writes files',
  mkdir: 'mkdir creates directories',
  touch: 'touch creates or changes files',
  ln: 'ln creates links',
  chmod: 'chmod changes permissions',
  chown: 'chown changes ownership',
  dd: 'dd writes data',
  truncate: 'truncate changes files',
  install: 'install writes files',
  patch: 'patch changes files',
  shred: 'shred destroys files',
  curl: 'curl reaches the network and can write files',
  wget: 'wget downloads files',
  kill: 'kill stops processes',
  pkill: 'pkill stops processes',
  killall: 'killall stops processes',
  bash: 'a shell without -c runs a script or standard input that cannot be checked',
  sh: 'a shell without -c runs a script or standard input that cannot be checked',
  zsh: 'a shell without -c runs a script or standard input that cannot be checked',
  source: 'source runs a script that cannot be checked',
  '.': '. runs a script that cannot be checked',
}

/** Directories whose programs count by their basename; `./ls` could be anything. */
const SYSTEM_DIRS = new Set([
  '/bin',
  '/usr/bin',
  '/usr/local/bin',
  '/sbin',
  '/usr/sbin',
  '/opt/homebrew/bin',
])

/** Programs whose arguments are never paths: a value only known at run time is harmless there. */
const ARGS_ONLY = new Set([
  'echo',
  'printf',
  'true',
  'false',
  ':',
  'test',
  '[',
  '[[',
  'expr',
  'seq',
])
const KNOWN_PREFIX = /^(\$HOME|\$\{HOME\}|\$PWD|\$\{PWD\})(?=\/|$)/
/** Wrappers that run a program on names found at run time. */
const RUNS_ON_FOUND = /^(xargs|parallel|find -(exec|execdir|ok|okdir))$/

/** Why a subcommand reads what cannot be checked before it runs, or undefined. */
function unknownInput(cmd: SimpleCommand, name: string): string | undefined {
  if (ARGS_ONLY.has(name) || name === 'cd' || name === 'sleep') return undefined
  const runner = cmd.wrappers.find((w) => RUNS_ON_FOUND.test(w))
  if (runner) return `${runner} runs ${name} on names found at run time`
  const unknown = cmd.argv
    .slice(1)
    .find((a, i) => cmd.argvDynamic[i + 1] && /[$`]/.test(a.replace(KNOWN_PREFIX, '')))
  return unknown === undefined ? undefined : `${name} argument ${unknown} is only known at run time`
}

/** Assignments that change which program runs or what it loads. */
const RISKY_ASSIGNMENT = new RegExp(
  '^(LD_[A-Z_]+|DYLD_[A-Z_]+|GIT_[A-Z_]+|PATH|BASH_ENV|ENV|IFS|PS4|SHELLOPTS|BASHOPTS|' +
    'PROMPT_COMMAND|PAGER|LESSOPEN|LESSCLOSE|EDITOR|VISUAL|NODE_OPTIONS|PYTHONSTARTUP|' +
    'PYTHONPATH)\\+?=',
)

/** A leading assignment that could make a read-only command run something else, or undefined. */
export function riskyAssignment(assignment: string): string | undefined {
  if (/^(GIT_PAGER|PAGER)=(cat)?$/.test(assignment)) return undefined
  const m = RISKY_ASSIGNMENT.exec(assignment)
  return m ? m[1] : undefined
}

/** Whether one subcommand only reads (plan mode), and if not, why. */
export function isReadOnly(cmd: SimpleCommand): ReadOnlyVerdict {
  const no = (why: string): ReadOnlyVerdict => ({ ok: false, why })
  const write = cmd.writesFiles[0]
  if (write) return no(`${write.op} writes to ${write.target}`)
  for (const w of cmd.wrappers) {
    if (w === 'sudo' || w === 'doas') return no(`it runs as another user through ${w}`)
    if (w === 'nohup') return no('nohup can write nohup.out')
  }
  for (const a of cmd.assignments) {
    const name = riskyAssignment(a)
    if (name) return no(`setting ${name} can change what runs`)
  }
  const program = cmd.argv[0]
  if (program === undefined) return { ok: true }
  if (cmd.argvDynamic[0]) return no(`the program ${program} is only known at run time`)
  const slash = program.lastIndexOf('/')
  const name = program.slice(slash + 1)
  if (slash !== -1 && !SYSTEM_DIRS.has(program.slice(0, slash))) {
    return no(`${program} is not a system program`)
  }
  const rule = READ_ONLY_COMMANDS.get(name)
  if (!rule) return no(NOT_READ_ONLY[name] ?? `${name} is not on the plan-mode read-only list`)
  const unknown = unknownInput(cmd, name)
  if (unknown) return no(unknown)
  if (!rule.check) return { ok: true }
  if (cmd.wrappers.includes('xargs')) {
    return no(`xargs adds arguments to ${name} that cannot be checked`)
  }
  const args = cmd.argv.slice(1)
  const dynamic = cmd.argvDynamic.slice(1)
  const end = rule.expandedArgs === 'all' ? args.length : indexOrEnd(args, '--')
  const expanded = args.slice(0, end).find((_, i) => dynamic[i])
  if (expanded !== undefined) return no(`${name} argument ${expanded} is only known at run time`)
  const why = rule.check(args)
  return why ? no(why) : { ok: true }
}

function indexOrEnd(args: readonly string[], value: string): number {
  const i = args.indexOf(value)
  return i === -1 ? args.length : i
}
