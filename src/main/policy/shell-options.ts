/**
 * Strict option scanning for wrapper commands (`sudo -u x`, `xargs -0 -I{}`, `timeout -s KILL`):
 * enough of getopt to find where the wrapped command starts. An unknown option, or one only known
 * at run time, throws, because guessing could hide the wrapped program.
 */
import { ShellSyntaxError } from './shell-scan'
import type { ArgWord } from './shell-unwrap'

export interface OptSpec {
  /** Short options without an argument. */
  flags?: string
  /** Short options with an argument, attached (`-n5`) or in the next word. */
  withArg?: string
  /** Short options whose argument can only be attached (`-i{}`). */
  optionalArg?: string
  long?: readonly string[]
  longWithArg?: readonly string[]
  /** Long options whose argument can only be given with `=`. */
  longOptional?: readonly string[]
  /** Accept `-NUM` (nice). */
  numeric?: boolean
}

export interface Opt {
  name: string
  value?: string
  dynamic?: boolean
}

export function scan(
  tool: string,
  words: ArgWord[],
  spec: OptSpec,
): { rest: ArgWord[]; opts: Opt[] } {
  const opts: Opt[] = []
  const fail = (why: string): never => {
    throw new ShellSyntaxError(`cannot tell what ${tool} runs: ${why}`)
  }
  let i = 0
  while (i < words.length) {
    const { value: v, dynamic } = words[i]!
    if (v === '--' && !dynamic) {
      i++
      break
    }
    if (!v.startsWith('-') || v === '-') break
    if (dynamic) fail(`option ${v} is only known at run time`)
    const next = words[i + 1]
    if (v.startsWith('--')) {
      const eq = v.indexOf('=')
      const name = eq === -1 ? v.slice(2) : v.slice(2, eq)
      if (spec.longWithArg?.includes(name)) {
        if (eq !== -1) opts.push({ name, value: v.slice(eq + 1) })
        else if (next) opts.push({ name, value: next.value, dynamic: next.dynamic })
        else fail(`${v} needs an argument`)
        i += eq === -1 ? 2 : 1
      } else if ((spec.long?.includes(name) && eq === -1) || spec.longOptional?.includes(name)) {
        opts.push(eq === -1 ? { name } : { name, value: v.slice(eq + 1) })
        i++
      } else {
        fail(`unknown option ${v}`)
      }
      continue
    }
    if (spec.numeric && /^-[0-9]+$/.test(v)) {
      opts.push({ name: 'n', value: v.slice(1) })
      i++
      continue
    }
    let usedNext = false
    for (let j = 1; j < v.length; j++) {
      const ch = v[j]!
      const attached = v.slice(j + 1)
      if (spec.withArg?.includes(ch)) {
        if (attached) opts.push({ name: ch, value: attached })
        else if (next) opts.push({ name: ch, value: next.value, dynamic: next.dynamic })
        else fail(`-${ch} needs an argument`)
        usedNext = !attached
        break
      }
      if (spec.optionalArg?.includes(ch)) {
        opts.push({ name: ch, value: attached })
        break
      }
      if (!spec.flags?.includes(ch)) fail(`unknown option -${ch}`)
      opts.push({ name: ch })
    }
    i += usedNext ? 2 : 1
  }
  return { rest: words.slice(i), opts }
}

export function has(opts: Opt[], ...names: string[]): boolean {
  return opts.some((o) => names.includes(o.name))
}
