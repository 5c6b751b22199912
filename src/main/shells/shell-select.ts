import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { ContractError } from '../../shared/errors'
import type { ShellFamily } from './integration'
import { shellFamily } from './integration'

export interface ShellChoice {
  path: string
  family: ShellFamily
  /** Why the preferred shell was not used, when it was not (logged). */
  fellBack: string | null
}

export interface SelectOptions {
  platform: NodeJS.Platform
  /** The environment the shell gets ($SHELL, PATH). */
  env: Record<string, string>
  /** A shell the user configured (setting `terminals.shell`): used as is, or a clear error. */
  configured?: string
  /** The agent needs command boundaries: shells without integration are passed over. */
  needsIntegration: boolean
  /** Test seam: whether a path is an executable file. */
  isExecutable?: (path: string) => boolean
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false
    if (process.platform !== 'win32') accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** `name` looked up on PATH (or taken as is when it is a path). */
export function which(
  name: string,
  env: Record<string, string>,
  platform: NodeJS.Platform,
  isExec: (p: string) => boolean = executable,
): string | null {
  if (isAbsolute(name) || name.includes('/') || name.includes('\\'))
    return isExec(name) ? name : null
  const pathVar = env.PATH ?? env.Path ?? ''
  const exts = platform === 'win32' ? ['.exe', ''] : ['']
  for (const dir of pathVar.split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue
    for (const ext of exts) {
      const candidate = join(dir, name + ext)
      if (isExec(candidate)) return candidate
    }
  }
  return null
}

/**
 * The shell a terminal runs: the configured one if set (or a clear error), else the user's login
 * shell ($SHELL), falling back to bash, then sh; PowerShell (pwsh, else Windows PowerShell) on
 * Windows. The agent's shell skips shells Paddock cannot integrate with (fish, tcsh…).
 */
export function selectShell(opts: SelectOptions): ShellChoice {
  const isExec = opts.isExecutable ?? executable
  if (opts.configured) {
    const found = which(opts.configured, opts.env, opts.platform, isExec)
    if (!found) {
      throw new ContractError(
        'invalid_params',
        `The shell ${opts.configured} (setting terminals.shell) does not exist or is not executable.`,
      )
    }
    const family = shellFamily(found)
    if (opts.needsIntegration && family === 'none') {
      throw new ContractError(
        'invalid_params',
        `The agent cannot run commands in ${found} (setting terminals.shell): Paddock integrates with bash, zsh, sh and PowerShell.`,
      )
    }
    return { path: found, family, fellBack: null }
  }
  const candidates: string[] =
    opts.platform === 'win32'
      ? ['pwsh', 'powershell']
      : [opts.env.SHELL ?? '', '/bin/bash', 'bash', '/bin/sh', 'sh'].filter((s) => s !== '')
  const skipped: string[] = []
  for (const name of candidates) {
    const found = which(name, opts.env, opts.platform, isExec)
    if (!found) {
      skipped.push(`${name} is not an executable`)
      continue
    }
    const family = shellFamily(found)
    if (opts.needsIntegration && family === 'none') {
      skipped.push(`${found} has no shell integration`)
      continue
    }
    return {
      path: found,
      family,
      fellBack: skipped.length > 0 ? skipped.join('; ') : null,
    }
  }
  throw new ContractError(
    'invalid_params',
    `No shell to start: ${skipped.join('; ')}. Set one with: paddock settings set terminals.shell /path/to/shell`,
  )
}
