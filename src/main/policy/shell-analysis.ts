/**
 * What the approval UI and the rules need to know about a command line: its subcommands, each
 * with the reasons to flag it, whether anything writes a file or uses substitution, and prefix
 * matching of rule patterns (`npm test`, `git log`) against a subcommand's argv.
 */
import { riskyAssignment } from './plan-allowlist'
import { ShellSyntaxError, lexWords } from './shell-lexer'
import type { SimpleCommand } from './shell-parse'
import { parseShell } from './shell-parse'

export { READ_ONLY_COMMANDS, isReadOnly } from './plan-allowlist'
export type { ReadOnlyRule, ReadOnlyVerdict } from './plan-allowlist'
export type { FileWrite, ParseResult, SimpleCommand } from './shell-parse'
export { parseShell } from './shell-parse'

export type AnalysedCommand = SimpleCommand & {
  /**
   * Reasons to flag it in the UI: 'writes to out.txt', 'command substitution',
   * 'runs through bash -c', 'destructive: rm -rf', …
   */
  risky: string[]
}

export type Analysis =
  | { ok: true; commands: AnalysedCommand[]; hasSubstitution: boolean; writesFiles: boolean }
  | { ok: false; reason: string }

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'fish'])
const ROOT_WRAPPERS = new Set(['sudo', 'doas'])
const GIT_GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace'])

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

function shortFlag(args: readonly string[], letters: RegExp, ...long: string[]): boolean {
  return args.some((a) => (/^-[^-]/.test(a) && letters.test(a.slice(1))) || long.includes(a))
}

/** Files `tee` writes: its operands, except process substitutions (`tee >(cat)`). */
function teeTargets(cmd: SimpleCommand): string[] {
  if (basename(cmd.argv[0] ?? '') !== 'tee') return []
  return cmd.argv.slice(1).filter((a) => !a.startsWith('-') && !a.startsWith('>('))
}

function gitRisks(args: readonly string[]): string[] {
  let i = 0
  while (i < args.length && args[i]!.startsWith('-'))
    i += GIT_GLOBAL_WITH_VALUE.has(args[i]!) ? 2 : 1
  const sub = args[i]
  const rest = args.slice(i + 1)
  switch (sub) {
    case 'reset':
      return rest.includes('--hard')
        ? ['destructive: git reset --hard']
        : ['moves HEAD (git reset)']
    case 'clean':
      return ['destructive: git clean']
    case 'push':
      return rest.some((a) => /^(-f|--force.*|\+.*)$/.test(a) || /^-[^-]*f/.test(a))
        ? ['destructive: git push --force']
        : ['pushes to a remote']
    case 'checkout':
    case 'switch':
    case 'restore':
      return [`changes the working tree (git ${sub})`]
    case 'branch':
      return shortFlag(rest, /[dD]/, '--delete') ? ['deletes a branch'] : []
    case 'stash':
      return rest[0] === 'drop' || rest[0] === 'clear' ? [`destructive: git stash ${rest[0]}`] : []
    case 'rebase':
    case 'filter-branch':
      return [`rewrites history (git ${sub})`]
    case 'commit':
      return rest.includes('--amend') ? ['rewrites history (git commit --amend)'] : []
    default:
      return []
  }
}

function programRisks(cmd: SimpleCommand): string[] {
  const prog = basename(cmd.argv[0] ?? '')
  const args = cmd.argv.slice(1)
  switch (prog) {
    case 'rm': {
      const r = shortFlag(args, /[rR]/, '--recursive')
      const f = shortFlag(args, /f/, '--force')
      if (r) return [f ? 'destructive: rm -rf' : 'destructive: rm -r']
      return ['deletes files']
    }
    case 'rmdir':
      return ['deletes directories']
    case 'shred':
    case 'wipefs':
      return [`destructive: ${prog}`]
    case 'dd':
      return args.some((a) => a.startsWith('of=')) ? ['destructive: dd'] : []
    case 'truncate':
      return ['truncates files']
    case 'find': {
      const out: string[] = []
      if (args.includes('-delete')) out.push('destructive: find -delete')
      args.forEach((a, i) => {
        if (/^-f(print0?|printf|ls)$/.test(a)) out.push(`writes to ${args[i + 1] ?? '?'}`)
      })
      return out
    }
    case 'sed':
    case 'perl':
      return shortFlag(args, prog === 'sed' ? /^[^ef]*i/ : /i/, '--in-place') ||
        args.some((a) => a.startsWith('--in-place='))
        ? [`edits files in place (${prog} -i)`]
        : []
    case 'tee':
      return teeTargets(cmd).map(
        (t) => `${shortFlag(args, /a/, '--append') ? 'appends to' : 'writes to'} ${t}`,
      )
    case 'git':
      return gitRisks(args)
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return shortFlag(args, /R/, '--recursive')
        ? [`changes permissions recursively (${prog} -R)`]
        : []
    case 'kill':
    case 'pkill':
    case 'killall':
      return ['stops processes']
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
      return ['destructive: stops the machine']
    case 'curl':
    case 'wget':
      return ['network access']
    case 'sudo':
    case 'doas':
      // Left as argv only when it runs no command of its own: a root shell, sudoedit, a listing.
      return [`runs as root (${prog})`]
    case 'source':
    case '.':
      return ['runs a shell script']
    case 'npm':
    case 'pnpm':
    case 'yarn':
      return args.includes('publish') ? ['publishes a package'] : []
  }
  if (/^mkfs(\..+)?$/.test(prog)) return ['destructive: mkfs']
  if (SHELLS.has(prog)) {
    // Left as argv only when there is no -c: a script file, or code from standard input.
    return args.some((a) => !a.startsWith('-') && !a.startsWith('+'))
      ? ['runs a shell script']
      : ['runs shell code from standard input']
  }
  return []
}

/** Reasons to flag one subcommand in the approval UI. */
export function riskReasons(cmd: SimpleCommand): string[] {
  const risky: string[] = []
  for (const w of cmd.writesFiles) {
    risky.push(`${w.op.includes('>>') ? 'appends to' : 'writes to'} ${w.target}`)
  }
  if (cmd.viaSubstitution) risky.push('command substitution')
  for (const w of cmd.wrappers) {
    if (ROOT_WRAPPERS.has(w)) risky.push(`runs as root (${w})`)
    else if (/ -c$/.test(w) || ['eval', 'xargs', 'watch'].includes(w) || w.startsWith('find ')) {
      risky.push(`runs through ${w}`)
    }
  }
  for (const a of cmd.assignments) {
    const name = riskyAssignment(a)
    if (name) risky.push(`sets ${name}`)
  }
  if (cmd.argvDynamic[0]) risky.push('program name is only known at run time')
  risky.push(...programRisks(cmd))
  return [...new Set(risky)]
}

/**
 * Parse a command line and flag each subcommand. `writesFiles` is true when any subcommand
 * redirects output to a file or is `tee` with a file operand.
 */
export function analyseCommand(line: string): Analysis {
  const parsed = parseShell(line)
  if (!parsed.ok) return parsed
  const commands = parsed.commands.map((cmd) => ({ ...cmd, risky: riskReasons(cmd) }))
  return {
    ok: true,
    commands,
    hasSubstitution: parsed.usesSubstitution,
    writesFiles: commands.some((c) => c.writesFiles.length > 0 || teeTargets(c).length > 0),
  }
}

function prefixWords(prefix: string): string[] {
  try {
    return lexWords(prefix.trim()).map((w) => w.value)
  } catch (err) {
    if (!(err instanceof ShellSyntaxError)) throw err
    return prefix.trim().split(/\s+/).filter(Boolean)
  }
}

/**
 * Word-wise prefix match of a rule pattern against a subcommand's argv (after unwrapping):
 * `npm test` matches `npm test -- --watch` but not `npm testing`; `*` alone matches anything; a
 * trailing ` *` is the same as the prefix alone; the program matches by basename too
 * (`/usr/bin/rm` matches `rm`) unless the pattern's program contains a slash. Quotes in the
 * pattern are read as the shell would. An empty pattern matches nothing.
 */
export function commandPrefixMatches(argv: readonly string[], prefix: string): boolean {
  const words = prefixWords(prefix)
  if (words.length === 1 && words[0] === '*') return true
  while (words.length > 1 && words[words.length - 1] === '*') words.pop()
  const [head, ...rest] = words
  const program = argv[0]
  if (head === undefined || program === undefined || argv.length < words.length) return false
  const programMatches = program === head || (!head.includes('/') && basename(program) === head)
  return programMatches && rest.every((w, i) => argv[i + 1] === w)
}
