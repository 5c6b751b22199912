import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DoctorCheck } from '../../shared/contract'
import type { LoginPath } from '../core/login-path'
import type { SandboxAvailability } from '../sandbox/availability'
import { probeSandbox } from '../sandbox/availability'
import type { PtyModule } from '../shells/pty'
import { loadPty } from '../shells/pty'

/**
 * What the doctor looks at: the tools Paddock runs (git, gh), the sandbox, a real PTY, the PATH a
 * desktop launch got, and the data folder (space, write access). Each check is a function of what
 * it is given, so tests can point it at a missing tool or a full disk.
 */
export interface DoctorDeps {
  dataDir: string
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  loginPath: LoginPath | null
  /** Run a program; resolves with its stdout, rejects when it is missing or fails. */
  run?: (file: string, args: string[], env: NodeJS.ProcessEnv) => Promise<string>
  pty?: () => Promise<{ pty: PtyModule } | { error: string }>
  /** Whether the sandbox can start (default: the sandbox's own probe). */
  sandbox?: () => SandboxAvailability
  /** Free bytes on the disk of `dir`. */
  freeBytes?: (dir: string) => number
}

/** Below this much free space in the data folder, a warning; below FAIL, a failure. */
export const LOW_DISK_BYTES = 2 * 1024 ** 3
export const FULL_DISK_BYTES = 200 * 1024 ** 2
/** The oldest git whose worktree and checkpoint commands Paddock relies on. */
export const MIN_GIT: readonly [number, number] = [2, 30]
const RUN_TIMEOUT_MS = 10_000

const defaultRun = (file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: RUN_TIMEOUT_MS }, (err, stdout, stderr) =>
      err ? reject(new Error((stderr || err.message).trim().split('\n')[0])) : resolve(stdout),
    )
  })

const defaultFree = (dir: string): number => {
  const s = statfsSync(dir)
  return s.bavail * s.bsize
}

const check = (
  id: DoctorCheck['id'],
  title: string,
  status: DoctorCheck['status'],
  detail: string,
  fix: string | null = null,
): DoctorCheck => ({ id, title, status, detail, fix })

export function gibibytes(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(1)} GB`
    : `${Math.round(bytes / 1024 ** 2)} MB`
}

async function gitCheck(d: DoctorDeps, run: NonNullable<DoctorDeps['run']>): Promise<DoctorCheck> {
  let out: string
  try {
    out = await run('git', ['--version'], d.env)
  } catch {
    return check('git', 'Git', 'fail', 'git was not found on the PATH.', installGit(d.platform))
  }
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(out)
  if (!m)
    return check('git', 'Git', 'warn', `git answered "${out.trim()}".`, installGit(d.platform))
  const [major, minor] = [Number(m[1]), Number(m[2])]
  const version = m[0]
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    return check(
      'git',
      'Git',
      'warn',
      `git ${version} is older than ${MIN_GIT.join('.')}: worktrees and checkpoints may fail.`,
      installGit(d.platform),
    )
  }
  return check('git', 'Git', 'ok', `git ${version}`)
}

function installGit(platform: NodeJS.Platform): string {
  if (platform === 'darwin')
    return 'Run "xcode-select --install" or "brew install git", then restart Paddock.'
  if (platform === 'win32') return 'Install Git for Windows from git-scm.com, then restart Paddock.'
  return 'Install git with your package manager (e.g. "sudo apt install git"), then restart Paddock.'
}

async function ghCheck(d: DoctorDeps, run: NonNullable<DoctorDeps['run']>): Promise<DoctorCheck> {
  try {
    const out = await run('gh', ['--version'], d.env)
    const version = /gh version (\S+)/.exec(out)?.[1] ?? out.trim().split('\n')[0]
    return check('gh', 'GitHub CLI', 'ok', `gh ${version}`)
  } catch {
    return check(
      'gh',
      'GitHub CLI',
      'info',
      'gh is not installed: "Open pull request" pushes the branch and opens the compare page instead.',
      'Install gh from cli.github.com and run "gh auth login" to open pull requests from Paddock.',
    )
  }
}

function sandboxCheck(d: DoctorDeps): DoctorCheck {
  const found = (d.sandbox ?? (() => probeSandbox(d.platform)))()
  if (found.ok) {
    const how =
      d.platform === 'darwin'
        ? 'sandbox-exec works.'
        : `bubblewrap works (${found.bwrap}): new user, pid and network namespaces.`
    return check('sandbox', 'Sandbox', 'ok', how)
  }
  // Windows has none at all: a fact, not something to fix on this computer.
  const status = d.platform === 'win32' ? 'info' : 'warn'
  return check('sandbox', 'Sandbox', status, found.reason, found.fix)
}

async function ptyCheck(d: DoctorDeps): Promise<DoctorCheck> {
  const title = 'Terminal (node-pty)'
  const loaded = await (d.pty ?? loadPty)()
  if ('error' in loaded) {
    return check(
      'pty',
      title,
      'fail',
      `node-pty cannot be loaded: ${loaded.error}`,
      'Reinstall Paddock: its terminal module does not match this build.',
    )
  }
  const [file, args] =
    d.platform === 'win32'
      ? ['cmd.exe', ['/c', 'echo paddock-pty-ok']]
      : ['/bin/sh', ['-c', 'echo paddock-pty-ok']]
  try {
    const output = await new Promise<string>((resolve, reject) => {
      let seen = ''
      const p = loaded.pty.spawn(file, args as string[], {
        name: 'xterm-256color',
        cols: 80,
        rows: 24,
        cwd: tmpdir(),
        env: { PATH: d.env.PATH ?? '' },
        encoding: null,
      })
      const timer = setTimeout(() => {
        p.kill()
        reject(new Error('no output within 5 s'))
      }, 5_000)
      p.onData((data) => {
        seen += data.toString()
      })
      p.onExit(() => {
        clearTimeout(timer)
        resolve(seen)
      })
    })
    if (output.includes('paddock-pty-ok'))
      return check('pty', title, 'ok', `A shell started in a PTY (${file}).`)
    return check(
      'pty',
      title,
      'fail',
      `A shell in a PTY printed nothing (${file}).`,
      'Reinstall Paddock; if it persists, report it with the log.',
    )
  } catch (err) {
    return check(
      'pty',
      title,
      'fail',
      `A PTY could not be started: ${(err as Error).message}`,
      'Reinstall Paddock; if it persists, report it with the log.',
    )
  }
}

function pathCheck(d: DoctorDeps): DoctorCheck {
  const title = 'Login shell PATH'
  const lp = d.loginPath
  if (!lp || lp.source === 'inherited') {
    return check('path', title, 'ok', 'Started from a shell: the PATH it had is used as is.')
  }
  if (lp.source === 'failed') {
    return check(
      'path',
      title,
      'warn',
      `Could not read your login shell's PATH: ${lp.error ?? 'no reason given'} Tools installed in your shell's folders may not be found.`,
      `Make "${lp.shell ?? '$SHELL'} -ilc env" finish quickly without asking anything, then restart Paddock.`,
    )
  }
  const added = lp.added.length ? `, adding ${lp.added.join(', ')}` : ''
  return check('path', title, 'ok', `Taken from ${lp.shell} at start${added}.`)
}

function diskCheck(d: DoctorDeps): DoctorCheck {
  const title = 'Free disk space'
  try {
    const free = (d.freeBytes ?? defaultFree)(d.dataDir)
    const where = `in ${d.dataDir}`
    const fix =
      'Free space on that disk, or start Paddock with another data folder (--data-dir or PADDOCK_DATA_DIR).'
    if (free < FULL_DISK_BYTES)
      return check(
        'disk',
        title,
        'fail',
        `${gibibytes(free)} free ${where}: sessions and checkpoints cannot be saved.`,
        fix,
      )
    if (free < LOW_DISK_BYTES)
      return check('disk', title, 'warn', `${gibibytes(free)} free ${where}.`, fix)
    return check('disk', title, 'ok', `${gibibytes(free)} free ${where}.`)
  } catch (err) {
    return check('disk', title, 'warn', `Could not measure free space: ${(err as Error).message}`)
  }
}

function writeCheck(d: DoctorDeps): DoctorCheck {
  const title = 'Data folder'
  const probe = join(d.dataDir, `.doctor-${process.pid}-${Date.now()}`)
  try {
    mkdirSync(d.dataDir, { recursive: true })
    writeFileSync(probe, 'paddock')
    if (readFileSync(probe, 'utf8') !== 'paddock')
      throw new Error('what was written did not read back')
    return check('data', title, 'ok', `${d.dataDir} is writable.`)
  } catch (err) {
    return check(
      'data',
      title,
      'fail',
      `Cannot write to ${d.dataDir}: ${(err as Error).message}`,
      `Make ${d.dataDir} writable by your user, or start Paddock with another data folder.`,
    )
  } finally {
    try {
      rmSync(probe, { force: true })
    } catch {
      // Nothing was written where nothing could be.
    }
  }
}

/** Every check, in the order the Doctor page and `paddock doctor` show them. */
export async function runDoctor(d: DoctorDeps): Promise<DoctorCheck[]> {
  const run = d.run ?? defaultRun
  const [git, gh, pty] = await Promise.all([gitCheck(d, run), ghCheck(d, run), ptyCheck(d)])
  return [git, gh, sandboxCheck(d), pty, pathCheck(d), diskCheck(d), writeCheck(d)]
}
