import { statSync } from 'node:fs'
import { TERMINAL_COLS, TERMINAL_ROWS } from '../../shared/terminals'
import type { Logger } from '../core/logger'
import { installIntegration, launchFor } from './integration'
import { selectShell } from './shell-select'
import type { Terminal } from './terminal'
import { newNonce } from './terminal'

export function clampSize(cols: number, rows: number): { cols: number; rows: number } {
  return {
    cols: Math.min(TERMINAL_COLS.max, Math.max(TERMINAL_COLS.min, Math.floor(cols))),
    rows: Math.min(TERMINAL_ROWS.max, Math.max(TERMINAL_ROWS.min, Math.floor(rows))),
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Start `file args` inside the sandbox (the same process, confined), or say why it cannot. */
export type SpawnWrap = (
  cwd: string,
  file: string,
  args: string[],
) => { file: string; args: string[]; env?: Record<string, string> } | { error: string }

export interface LaunchDeps {
  /** The shell's environment, already stripped of keys and secrets. */
  env: Record<string, string>
  platform: NodeJS.Platform
  /** Where the integration scripts are written (installed on every launch; unchanged ones stay). */
  integrationDir: string
  logger: Logger
  /** The shell the user configured (setting `terminals.shell`). */
  configuredShell?: string
  /** Start the shell inside the sandbox (the agent's terminal), or say why it cannot start. */
  sandbox?: SpawnWrap
}

/**
 * Start `terminal`'s shell in `cwd`: pick the shell, install the integration scripts, and spawn it
 * with its marks' nonce. What cannot start (a missing folder or shell) fails the terminal with a
 * reason a person can act on, rather than throwing.
 */
export function launchShell(terminal: Terminal, cwd: string, deps: LaunchDeps): void {
  if (!isDirectory(cwd)) {
    terminal.fail(`Cannot start a shell in ${cwd}: the folder does not exist.`)
    return
  }
  let choice
  try {
    choice = selectShell({
      platform: deps.platform,
      env: deps.env,
      ...(deps.configuredShell ? { configured: deps.configuredShell } : {}),
      needsIntegration: terminal.kind === 'agent',
    })
  } catch (err) {
    terminal.fail(err instanceof Error ? err.message : String(err))
    return
  }
  if (choice.fellBack) {
    deps.logger.log('info', 'shell fallback', { terminal: terminal.id, why: choice.fellBack })
  }
  try {
    installIntegration(deps.integrationDir)
  } catch (err) {
    terminal.fail(`Cannot write the shell integration scripts: ${String(err)}`)
    return
  }
  const nonce = newNonce()
  const launch = launchFor(choice.path, choice.family, deps.integrationDir, {
    nonce,
    agent: terminal.kind === 'agent',
    login: deps.platform === 'darwin',
    baseEnv: deps.env,
  })
  let spawn: { file: string; args: string[]; env?: Record<string, string> } | undefined
  if (deps.sandbox) {
    const wrapped = deps.sandbox(cwd, choice.path, launch.args)
    if ('error' in wrapped) {
      terminal.fail(wrapped.error)
      return
    }
    spawn = wrapped
  }
  terminal.start({
    shell: choice.path,
    family: choice.family,
    args: launch.args,
    cwd,
    env: {
      ...deps.env,
      TERM: 'xterm-256color',
      COLORTERM: 'truecolor',
      ...launch.env,
      ...spawn?.env,
    },
    nonce,
    ...(spawn ? { spawn: { file: spawn.file, args: spawn.args } } : {}),
  })
}
