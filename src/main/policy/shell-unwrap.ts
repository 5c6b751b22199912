/**
 * Unwrapping of commands that run other commands: `env`, `sudo`, `nohup`, `timeout`, `nice`,
 * `time`, `command`, `exec`, `xargs`, `watch`, `find -exec`, and code strings run through
 * `bash -c` or `eval`. Options are read strictly: an option a wrapper does not know, or one only
 * known at run time, throws rather than let the wrapped program go unseen.
 */
import { ShellSyntaxError, lexWords } from './shell-lexer'
import { has, scan } from './shell-options'
import type { FileRead, FileWrite, SimpleCommand } from './shell-parse'

export interface ArgWord {
  value: string
  dynamic: boolean
  /** Offsets into the source being parsed; -1 for words that came from elsewhere (`env -S`). */
  start: number
  end: number
}

export interface UnwrapContext {
  wrappers: string[]
  viaSubstitution: boolean
  depth: number
}

export interface CommandBase {
  src: string
  text: string
  writes: FileWrite[]
  reads: FileRead[]
  assignments: string[]
}

/** Parse a code string (from `bash -c`, `eval`, `watch`) into the same output list. */
export type Recurse = (source: string, ctx: UnwrapContext) => void

type Unwrapped =
  | {
      kind: 'inner'
      words: ArgWord[]
      wrapper: string
      assignments?: string[]
      writes?: FileWrite[]
    }
  | { kind: 'code'; words: ArgWord[]; wrapper: string }
  | { kind: 'find'; execs: Array<{ words: ArgWord[]; wrapper: string }> }
  | null

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh'])
const EXEC_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir'])
/** `NAME=value` as env and sudo read it; a name built by an expansion is not trusted to be one. */
const ENV_ASSIGNMENT = /^[^=$`]+=/

/** Leading `NAME=value` words, as `env` and `sudo` take them. */
function leadingAssignments(words: ArgWord[]): { assignments: string[]; rest: ArgWord[] } {
  let k = 0
  while (k < words.length && ENV_ASSIGNMENT.test(words[k]!.value)) k++
  return { assignments: words.slice(0, k).map((w) => w.value), rest: words.slice(k) }
}

function inner(words: ArgWord[], wrapper: string, assignments?: string[]): Unwrapped {
  return words.length === 0 ? null : { kind: 'inner', words, wrapper, assignments }
}

function env(args: ArgWord[]): Unwrapped {
  const dash = args.findIndex((w) => w.value !== '-' || w.dynamic)
  const { rest, opts } = scan('env', dash === -1 ? [] : args.slice(dash), {
    flags: 'iv0',
    withArg: 'uCSP',
    long: ['ignore-environment', 'null', 'debug', 'help', 'version'],
    longWithArg: ['unset', 'chdir', 'split-string'],
    longOptional: ['default-signal', 'ignore-signal', 'block-signal', 'list-signal-handling'],
  })
  if (has(opts, 'help', 'version', 'list-signal-handling')) return null
  const { assignments, rest: cmd } = leadingAssignments(rest)
  const split = opts.find((o) => o.name === 'S' || o.name === 'split-string')
  if (split?.dynamic) throw new ShellSyntaxError('cannot tell what env -S runs')
  const splitWords = split
    ? lexWords(split.value ?? '').map((w) => ({ ...w, start: -1, end: -1 }))
    : []
  return inner([...splitWords, ...cmd], 'env', assignments)
}

function sudo(args: ArgWord[]): Unwrapped {
  const { rest, opts } = scan('sudo', args, {
    flags: 'AbEeHhiKklnPSsVv',
    withArg: 'CDgpRrTtUu',
    long: [
      ...['login', 'shell', 'non-interactive', 'stdin', 'set-home', 'background', 'askpass'],
      ...['preserve-groups', 'reset-timestamp', 'remove-timestamp', 'edit', 'list', 'validate'],
      ...['help', 'version', 'bell'],
    ],
    longWithArg: [
      ...['user', 'group', 'prompt', 'chdir', 'close-from', 'role', 'type', 'host', 'chroot'],
      ...['command-timeout', 'other-user'],
    ],
    longOptional: ['preserve-env'],
  })
  // These modes run no command of their own (sudoedit, listing, validating, help).
  const modes = ['e', 'l', 'v', 'K', 'V', 'h', 'edit', 'list', 'validate', 'help', 'version']
  if (has(opts, ...modes, 'remove-timestamp')) return null
  const { assignments, rest: cmd } = leadingAssignments(rest)
  return inner(cmd, 'sudo', assignments)
}

function timeCmd(args: ArgWord[]): Unwrapped {
  const { rest, opts } = scan('time', args, {
    flags: 'pvqa',
    withArg: 'fo',
    long: ['portability', 'verbose', 'quiet', 'append', 'help', 'version'],
    longWithArg: ['format', 'output'],
  })
  // The `time` keyword times a whole pipeline, which may be negated: `time ! cmd`.
  const words = rest[0]?.value === '!' ? rest.slice(1) : rest
  if (words.length === 0) return null
  const writes = opts
    .filter((o) => o.name === 'o' || o.name === 'output')
    .map((o) => ({ op: 'time -o', target: o.value ?? '' }))
  return { kind: 'inner', words, wrapper: 'time', writes }
}

function timeout(args: ArgWord[]): Unwrapped {
  const { rest } = scan('timeout', args, {
    flags: 'v',
    withArg: 'ks',
    long: ['preserve-status', 'foreground', 'verbose', 'help', 'version'],
    longWithArg: ['kill-after', 'signal'],
  })
  const duration = rest[0]
  if (duration?.dynamic) throw new ShellSyntaxError('cannot tell what timeout runs')
  return inner(rest.slice(1), 'timeout')
}

function watch(args: ArgWord[]): Unwrapped {
  const { rest, opts } = scan('watch', args, {
    flags: 'bcCegprtwxhv',
    withArg: 'nq',
    optionalArg: 'd',
    long: [
      ...['beep', 'color', 'no-color', 'errexit', 'chgexit', 'exec', 'precise', 'no-title'],
      ...['no-wrap', 'no-rerun', 'help', 'version'],
    ],
    longWithArg: ['interval', 'equexit'],
    longOptional: ['differences'],
  })
  if (has(opts, 'h', 'v', 'help', 'version') || rest.length === 0) return null
  // Without -x, watch joins its arguments and runs them with `sh -c`.
  if (has(opts, 'x', 'exec')) return inner(rest, 'watch')
  return { kind: 'code', words: rest, wrapper: 'watch' }
}

function xargs(args: ArgWord[]): Unwrapped {
  const { rest, opts } = scan('xargs', args, {
    flags: '0oprtx',
    withArg: 'adEILnPs',
    optionalArg: 'eil',
    long: [
      ...['null', 'open-tty', 'interactive', 'no-run-if-empty', 'verbose', 'exit'],
      ...['show-limits', 'help', 'version'],
    ],
    longWithArg: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars'],
    longOptional: ['eof', 'replace', 'max-lines', 'process-slot-var'],
  })
  if (has(opts, 'help', 'version', 'show-limits')) return null
  return inner(rest, 'xargs')
}

/** `sh -c 'code'`: the code string is the first operand after the options. */
function shell(name: string, args: ArgWord[]): Unwrapped {
  let i = 0
  let dashC = false
  while (i < args.length) {
    const { value: v, dynamic } = args[i]!
    if (v === '--' || v === '-') {
      i++
      break
    }
    if (!/^[-+]./.test(v)) break
    if (dynamic) throw new ShellSyntaxError(`cannot tell what ${name} runs: ${v}`)
    if (v.startsWith('--')) {
      i += v === '--rcfile' || v === '--init-file' ? 2 : 1
      continue
    }
    if (v.slice(1).includes('c')) dashC = true
    i += /[oO]/.test(v.slice(1)) ? 2 : 1
  }
  if (!dashC) return null
  const code = args[i]
  if (!code) throw new ShellSyntaxError(`${name} -c has no command string`)
  return { kind: 'code', words: [code], wrapper: `${name} -c` }
}

function find(args: ArgWord[]): Unwrapped {
  const execs: Array<{ words: ArgWord[]; wrapper: string }> = []
  for (let i = 0; i < args.length; i++) {
    const action = args[i]!.value
    if (!EXEC_ACTIONS.has(action)) continue
    let j = i + 1
    while (j < args.length) {
      const v = args[j]!.value
      if (v === ';' || (v === '+' && args[j - 1]?.value === '{}')) break
      j++
    }
    if (j >= args.length) throw new ShellSyntaxError(`find ${action} is not terminated by ; or +`)
    if (j === i + 1) throw new ShellSyntaxError(`find ${action} has no command`)
    execs.push({ words: args.slice(i + 1, j), wrapper: `find ${action}` })
    i = j
  }
  return execs.length > 0 ? { kind: 'find', execs } : null
}

function unwrapOnce(name: string, args: ArgWord[]): Unwrapped {
  if (SHELLS.has(name)) return shell(name, args)
  switch (name) {
    case 'env':
      return env(args)
    case 'sudo':
      return sudo(args)
    case 'doas': {
      const { rest, opts } = scan('doas', args, { flags: 'Lns', withArg: 'Cu' })
      return has(opts, 'C', 'L') ? null : inner(rest, 'doas')
    }
    case 'nohup':
      return inner(scan('nohup', args, { long: ['help', 'version'] }).rest, 'nohup')
    case 'command': {
      const { rest, opts } = scan('command', args, { flags: 'pvV' })
      // `command -v rm` only looks rm up.
      return has(opts, 'v', 'V') ? null : inner(rest, 'command')
    }
    case 'builtin':
      return inner(scan('builtin', args, {}).rest, 'builtin')
    case 'exec':
      return inner(scan('exec', args, { flags: 'cl', withArg: 'a' }).rest, 'exec')
    case 'time':
      return timeCmd(args)
    case 'nice':
      return inner(
        scan('nice', args, { withArg: 'n', numeric: true, longWithArg: ['adjustment'] }).rest,
        'nice',
      )
    case 'timeout':
      return timeout(args)
    case 'setsid':
      return inner(
        scan('setsid', args, { flags: 'fwc', long: ['fork', 'wait', 'ctty'] }).rest,
        'setsid',
      )
    case 'stdbuf':
      return inner(
        scan('stdbuf', args, { withArg: 'ioe', longWithArg: ['input', 'output', 'error'] }).rest,
        'stdbuf',
      )
    case 'watch':
      return watch(args)
    case 'xargs':
      return xargs(args)
    case 'eval':
      return args.length === 0 ? null : { kind: 'code', words: args, wrapper: 'eval' }
    case 'find':
      return find(args)
    default:
      return null
  }
}

/**
 * Emit the commands one simple command runs: itself, or what its wrappers run. Redirections and
 * assignments of a wrapper carry over to what it runs.
 */
export function unwrapCommand(
  words: ArgWord[],
  base: CommandBase,
  ctx: UnwrapContext,
  out: SimpleCommand[],
  recurse: Recurse,
): void {
  const wrappers = [...ctx.wrappers]
  const assignments = [...base.assignments]
  const writes = [...base.writes]
  let current = words
  for (;;) {
    const head = current[0]
    if (!head || head.dynamic) break
    const name = head.value.slice(head.value.lastIndexOf('/') + 1)
    const r = unwrapOnce(name, current.slice(1))
    if (!r) break
    if (r.kind === 'inner') {
      wrappers.push(r.wrapper)
      assignments.push(...(r.assignments ?? []))
      writes.push(...(r.writes ?? []))
      current = r.words
      continue
    }
    if (r.kind === 'code') {
      if (r.words.some((w) => w.dynamic)) {
        throw new ShellSyntaxError(
          `the code run by ${r.wrapper} is only known at run time: it contains an expansion`,
        )
      }
      const first = out.length
      const code = r.words.map((w) => w.value).join(' ')
      const inner = { ...ctx, wrappers: [...wrappers, r.wrapper], depth: ctx.depth + 1 }
      recurse(code, inner)
      for (const cmd of out.slice(first)) {
        cmd.assignments.unshift(...assignments)
        cmd.writesFiles.push(...writes)
        cmd.readsFiles.push(...base.reads)
      }
      return
    }
    emit(current, { ...base, writes, assignments }, wrappers, ctx, out)
    for (const exec of r.execs) {
      const text = spanText(base.src, exec.words) ?? base.text
      const execCtx = { ...ctx, wrappers: [...wrappers, exec.wrapper] }
      const execBase = { src: base.src, text, writes, reads: base.reads, assignments }
      unwrapCommand(exec.words, execBase, execCtx, out, recurse)
    }
    return
  }
  emit(current, { ...base, writes, assignments }, wrappers, ctx, out)
}

function emit(
  words: ArgWord[],
  { text, writes, reads, assignments }: CommandBase,
  wrappers: string[],
  ctx: UnwrapContext,
  out: SimpleCommand[],
): void {
  out.push({
    argv: words.map((w) => w.value),
    text,
    writesFiles: [...writes],
    readsFiles: [...reads],
    viaSubstitution: ctx.viaSubstitution,
    wrappers: [...wrappers],
    assignments: [...assignments],
    argvDynamic: words.map((w) => w.dynamic),
  })
}

function spanText(src: string, words: ArgWord[]): string | undefined {
  const first = words[0]
  const last = words[words.length - 1]
  if (!first || !last || words.some((w) => w.start < 0)) return undefined
  return src.slice(first.start, last.end)
}
