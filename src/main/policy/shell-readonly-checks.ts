/**
 * Argument checks for the plan-mode allowlist (`plan-allowlist.ts`): each takes the arguments
 * after the program name and returns why the invocation is not read-only, or undefined. They are
 * conservative: a form they cannot vouch for is refused.
 */

export type ArgCheck = (args: readonly string[]) => string | undefined

/** Short-option clusters (`-ni`) that contain `letter` before any option taking an argument. */
function clusterHas(arg: string, letter: string, takesArg = ''): boolean {
  if (!/^-[^-]/.test(arg)) return false
  for (const ch of arg.slice(1)) {
    if (ch === letter) return true
    if (takesArg.includes(ch)) return false
  }
  return false
}

function longOpt(arg: string, ...names: string[]): boolean {
  return names.some((n) => arg === `--${n}` || arg.startsWith(`--${n}=`))
}

export const checkSed: ArgCheck = (args) => {
  const scripts: string[] = []
  let explicit = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') break
    if (clusterHas(a, 'i', 'efl') || longOpt(a, 'in-place')) return 'sed -i edits files in place'
    if (a === '-f' || longOpt(a, 'file') || clusterHas(a, 'f', 'el')) {
      return 'sed -f runs a script file that cannot be checked'
    }
    if (a === '-e' || a === '--expression') {
      scripts.push(args[++i] ?? '')
      explicit = true
    } else if (a.startsWith('--expression=')) {
      scripts.push(a.slice('--expression='.length))
      explicit = true
    } else if (/^-[^-]*e./.test(a) && clusterHas(a, 'e', 'l')) {
      scripts.push(a.slice(a.indexOf('e') + 1))
      explicit = true
    } else if (a === '-l') {
      i++
    }
  }
  if (!explicit) {
    const first = args.find((a) => !a.startsWith('-'))
    if (first !== undefined) scripts.push(first)
  }
  // w/W write files and e executes a command; spotted by a conservative pattern.
  if (scripts.some((s) => /(^|[^\\a-zA-Z])[wWe](\s|$|;|})/.test(s))) {
    return 'the sed script may write files or run commands (w, W or e)'
  }
  return undefined
}

export const checkAwk: ArgCheck = (args) => {
  const programs: string[] = []
  let explicit = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--') break
    if (a === '-i' || longOpt(a, 'include') || a === '-l' || longOpt(a, 'load')) {
      return 'awk -i/-l loads code (such as inplace) that can write files'
    }
    if (a === '-f' || a === '-E' || longOpt(a, 'file', 'exec')) {
      return 'awk -f runs a program file that cannot be checked'
    }
    if (a === '-e' || a === '--source') {
      programs.push(args[++i] ?? '')
      explicit = true
    } else if (a === '-F' || a === '-v') {
      i++
    } else if (!a.startsWith('-')) {
      if (!explicit) programs.push(a)
      break
    }
  }
  for (const p of programs) {
    if (/\bsystem\s*\(/.test(p)) return 'the awk program calls system()'
    if (p.replace(/\|\|/g, '').includes('|')) return 'the awk program may pipe to a command'
    if (p.replace(/>=/g, '').includes('>')) return 'the awk program may write to a file (>)'
  }
  return undefined
}

export const checkFind: ArgCheck = (args) => {
  for (const a of args) {
    if (a === '-delete') return 'find -delete deletes files'
    if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(a)) return `find ${a} writes a file`
  }
  return undefined
}

export const checkSort: ArgCheck = (args) => {
  for (const a of args) {
    if (a === '--') break
    if (clusterHas(a, 'o', 'ktST') || longOpt(a, 'output')) return 'sort -o writes a file'
    if (longOpt(a, 'compress-program')) return 'sort --compress-program runs a program'
  }
  return undefined
}

export const checkUniq: ArgCheck = (args) => {
  let operands = 0
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (['-f', '-s', '-w'].includes(a)) i++
    else if (a === '-' || !a.startsWith('-')) operands++
  }
  return operands > 1 ? 'uniq INPUT OUTPUT writes the output file' : undefined
}

export const checkOption =
  (refuse: (a: string) => boolean, why: string): ArgCheck =>
  (args) =>
    args.some((a) => a !== '--' && refuse(a)) ? why : undefined

export const checkDate: ArgCheck = (args) => {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (['-d', '-r', '-f', '--date', '--reference', '--file'].includes(a)) i++
    else if (a === '-s' || clusterHas(a, 's', 'drfI') || longOpt(a, 'set')) {
      return 'date -s sets the clock'
    } else if (!a.startsWith('-') && !a.startsWith('+'))
      return 'date with an operand sets the clock'
  }
  return undefined
}

export const checkHostname: ArgCheck = (args) => {
  for (const a of args) {
    if (!a.startsWith('-')) return 'hostname NAME sets the host name'
    if (['-F', '-b', '--file', '--boot'].includes(a)) return `hostname ${a} sets the host name`
  }
  return undefined
}

export const checkTop: ArgCheck = (args) =>
  args.some((a) => clusterHas(a, 'b', 'dnpuUoOwEe') || a === '-l')
    ? undefined
    : 'top without -b is interactive; use top -b -n 1'

/** `node --version` and the like: the only form allowed for tools that otherwise run code. */
export const checkVersionOnly =
  (prog: string, also: readonly string[] = []): ArgCheck =>
  (args) => {
    const [first, ...more] = args
    if (first === undefined) return `${prog} without arguments is interactive or runs code`
    if (more.length === 0 && ['--version', '-v', '-V', 'version', '-version'].includes(first)) {
      return undefined
    }
    if (also.includes(first)) return undefined
    return `only ${prog} --version${also.map((a) => ` / ${prog} ${a}`).join('')} is read-only`
  }

export const checkGo: ArgCheck = (args) => {
  if (args[0] === 'env') {
    return args.some((a) => a === '-w' || a === '-u') ? 'go env -w/-u changes settings' : undefined
  }
  return args.length === 1 && ['version', '--version'].includes(args[0]!)
    ? undefined
    : 'only go version and go env are read-only'
}

const PACKAGE_READS: Record<string, readonly string[]> = {
  npm: [
    ...['ls', 'list', 'll', 'la', 'view', 'info', 'show', 'v', 'outdated', 'why', 'explain'],
    ...['search', 'root', 'prefix', 'help', 'config', 'audit', 'query'],
  ],
  pnpm: ['ls', 'list', 'll', 'why', 'outdated', 'view', 'info', 'root', 'help', 'config', 'audit'],
  yarn: ['info', 'why', 'help', 'config'],
}

/** npm/pnpm/yarn: only subcommands that report; unknown ones may be package scripts. */
export const checkPackageManager =
  (prog: 'npm' | 'pnpm' | 'yarn'): ArgCheck =>
  (args) => {
    const sub = args.find((a) => !a.startsWith('-'))
    if (sub === undefined) {
      if (args.some((a) => ['--version', '-v'].includes(a))) return undefined
      return prog === 'yarn' ? 'yarn without a command installs packages' : undefined
    }
    if (!PACKAGE_READS[prog]!.includes(sub)) return `${prog} ${sub} is not a read-only command`
    const rest = args.slice(args.indexOf(sub) + 1)
    if (sub === 'config' && !['get', 'list', 'ls'].includes(rest[0] ?? '')) {
      return `${prog} config ${rest[0] ?? ''} changes configuration`.trimEnd()
    }
    if (sub === 'audit' && rest.some((a) => a === 'fix' || a === '--fix')) {
      return `${prog} audit fix changes dependencies`
    }
    return undefined
  }

export const checkCargo: ArgCheck = (args) =>
  ['tree', 'metadata'].includes(args[0] ?? '') ? undefined : checkVersionOnly('cargo')(args)
