import { execFile } from 'node:child_process'
import { delimiter } from 'node:path'

/**
 * A desktop launch (the dock, a .desktop file, Finder) does not inherit the PATH the user's shell
 * sets up (Homebrew, nvm, ~/.local/bin): the app would not find `git`, `node` or `rg`. So the
 * desktop app asks the user's login shell once, at start, for its PATH and puts it first. The web
 * host and the CLI start from a shell and keep the PATH they were given.
 */
export interface LoginPath {
  /** `login-shell`: asked the shell; `inherited`: not asked (a terminal launch, Windows); `failed`. */
  source: 'login-shell' | 'inherited' | 'failed'
  /** The shell asked, or null. */
  shell: string | null
  /** The PATH in effect after the capture. */
  path: string
  /** Folders the login shell's PATH added to the one the app started with. */
  added: string[]
  /** Why the capture failed, in one sentence. */
  error?: string
}

/** How long the login shell may take to print its environment, in ms. */
export const LOGIN_SHELL_TIMEOUT_MS = 5_000

const BEGIN = '__PADDOCK_ENV_BEGIN__'
const END = '__PADDOCK_ENV_END__'
/** Works in sh, bash, zsh and fish: `env` prints PATH joined with ':' whatever the shell. */
const PRINT_ENV = `echo ${BEGIN}; /usr/bin/env; echo ${END}`

/** The PATH in the output of PRINT_ENV (whatever a shell's startup files printed around it). */
export function pathFromEnvOutput(output: string): string | null {
  const start = output.indexOf(BEGIN)
  const end = output.indexOf(END, start + BEGIN.length)
  if (start < 0 || end < 0) return null
  for (const line of output.slice(start + BEGIN.length, end).split('\n')) {
    if (line.startsWith('PATH=')) return line.slice('PATH='.length).trim()
  }
  return null
}

/** The login shell's folders first, then those only the app had; each once, empty ones dropped. */
export function mergePaths(login: string, current: string): { path: string; added: string[] } {
  const have = new Set(current.split(delimiter).filter(Boolean))
  const out: string[] = []
  for (const dir of [...login.split(delimiter), ...current.split(delimiter)]) {
    if (dir !== '' && !out.includes(dir)) out.push(dir)
  }
  return { path: out.join(delimiter), added: out.filter((d) => !have.has(d)) }
}

export type RunShell = (
  shell: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
) => Promise<string>

const runShell: RunShell = (shell, args, env, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(
      shell,
      args,
      { env, timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, killSignal: 'SIGKILL' },
      (err, stdout) => (err && !stdout.includes(END) ? reject(err) : resolve(stdout)),
    )
  })

/**
 * Ask the user's login shell (`$SHELL -ilc`) for its PATH. Never throws: a shell that is missing,
 * hangs past the timeout or prints no PATH leaves the PATH as it was, and says why.
 */
export async function captureLoginPath(opts: {
  env: NodeJS.ProcessEnv
  platform?: NodeJS.Platform
  run?: RunShell
  timeoutMs?: number
}): Promise<LoginPath> {
  const current = opts.env.PATH ?? ''
  const platform = opts.platform ?? process.platform
  if (platform === 'win32') return { source: 'inherited', shell: null, path: current, added: [] }
  const shell = opts.env.SHELL || '/bin/sh'
  try {
    const output = await (opts.run ?? runShell)(
      shell,
      ['-ilc', PRINT_ENV],
      opts.env,
      opts.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS,
    )
    const login = pathFromEnvOutput(output)
    if (login === null) {
      return {
        source: 'failed',
        shell,
        path: current,
        added: [],
        error: `${shell} printed no PATH.`,
      }
    }
    return { source: 'login-shell', shell, ...mergePaths(login, current) }
  } catch (err) {
    const killed = (err as { killed?: boolean }).killed
    const why = killed
      ? `${shell} did not answer within ${Math.round((opts.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS) / 1000)} s`
      : `${shell} could not be started (${(err as Error).message.split('\n')[0]})`
    return { source: 'failed', shell, path: current, added: [], error: `${why}.` }
  }
}
