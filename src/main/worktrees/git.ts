/**
 * Runs git with an argument array (never a shell string), so paths with spaces, quotes or
 * non-ASCII letters pass through untouched. Output is read as bytes and decoded as UTF-8; callers
 * that parse paths use `-z` forms so git never quotes them.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { isSecretEnvName } from '../tools/env'
import { WorktreeError } from './errors'

export interface GitOptions {
  cwd: string
  /** Extra environment (e.g. `GIT_INDEX_FILE`). */
  env?: Record<string, string>
  /** The git binary; `git` on the PATH by default. */
  bin?: string
  /**
   * `bin` is not git but gh (flow-publish runs it through this runner): no `-c` option is
   * prepended, and gh's own token variables (`GH_TOKEN`…) pass, as gh needs them to sign in.
   */
  gh?: boolean
}

/** gh's sign-in variables, kept for gh although their names look like secrets. */
const GH_TOKENS = ['GH_TOKEN', 'GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN']

/** Variables that would point git at another repository than `cwd`'s. */
const LEAKY_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX']

/**
 * Git's environment: the host's, minus the variables that would point it elsewhere and every
 * variable whose name looks like a credential (`isSecretEnvName`, the rule the agent's own shell
 * follows). The agent can set the repository's config (`core.fsmonitor`, filters, hooks, aliases)
 * and so run code inside any git call Paddock makes: that code must see no more than the agent
 * already does.
 */
function gitEnv(extra: Record<string, string> | undefined, gh: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && (!isSecretEnvName(name) || (gh && GH_TOKENS.includes(name))))
      env[name] = value
  for (const name of LEAKY_ENV) delete env[name]
  // `core.fsmonitor` off for every git this call starts, also the ones gh or a hook runs (`-c`
  // below covers Paddock's own call; this, git's environment form of `-c`, the nested ones).
  env.GIT_CONFIG_COUNT = '1'
  env.GIT_CONFIG_KEY_0 = 'core.fsmonitor'
  env.GIT_CONFIG_VALUE_0 = 'false'
  // Never prompt (credentials, editors): these calls run without a terminal.
  env.GIT_TERMINAL_PROMPT = '0'
  env.GIT_EDITOR = 'true'
  return { ...env, ...extra }
}

/** How a git call ended: its exit code and output (a non-zero exit is an answer, not an error). */
export interface GitExit {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs git; resolves with its exit code and output, whatever the code (`merge-tree` exits 1 on
 * conflicts). Rejects with a `WorktreeError` only when git did not run: not installed, the folder
 * missing, or killed.
 */
export function gitExit(args: string[], options: GitOptions): Promise<GitExit> {
  const bin = options.bin ?? 'git'
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      // The agent can set `core.fsmonitor` to a program of its own that every index refresh
      // (status, add, diff) would run: never in a call Paddock makes.
      options.gh === true ? args : ['-c', 'core.fsmonitor=false', ...args],
      {
        cwd: options.cwd,
        env: gitEnv(options.env, options.gh === true),
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const out = Buffer.from(stdout).toString('utf8')
        const err = Buffer.from(stderr).toString('utf8')
        const code = error ? (error as NodeJS.ErrnoException).code : 0
        if (typeof code === 'number') {
          resolve({ code, stdout: out, stderr: err })
          return
        }
        if (code === 'ENOENT' && !existsSync(options.cwd)) {
          reject(new WorktreeError('not-found', `No such folder: ${options.cwd}`))
          return
        }
        if (code === 'ENOENT') {
          reject(
            new WorktreeError(
              'git-missing',
              `git was not found (${bin}): install git to use worktrees`,
            ),
          )
          return
        }
        reject(
          new WorktreeError(
            'git-failed',
            `git ${args[0] ?? ''} failed in ${options.cwd}: ${err.trim() || String(error?.message)}`,
          ),
        )
      },
    )
  })
}

/** Runs git and resolves with its stdout; rejects with a `WorktreeError` saying what failed. */
export async function git(args: string[], options: GitOptions): Promise<string> {
  const r = await gitExit(args, options)
  if (r.code !== 0) {
    throw new WorktreeError(
      'git-failed',
      `git ${args[0] ?? ''} failed in ${options.cwd}: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`}`,
    )
  }
  return r.stdout
}

/** Like `git` but resolves `undefined` instead of rejecting when git exits non-zero. */
export async function gitMaybe(args: string[], options: GitOptions): Promise<string | undefined> {
  try {
    return await git(args, options)
  } catch (error) {
    if (error instanceof WorktreeError && error.code === 'git-failed') return undefined
    throw error
  }
}

/** What a git call printed, stdout then stderr, for an error the user reads (a hook's output). */
export function exitOutput(r: GitExit): string {
  return [r.stdout, r.stderr]
    .filter((s) => s.trim() !== '')
    .join('\n')
    .trim()
}

/**
 * The commit `rev` names, or a `bad-input` error "<label> is not a commit in this repository"
 * (`label` is `rev` by default; callers say "The base main").
 */
export async function commitOf(
  cwd: string,
  rev: string,
  bin?: string,
  label: string = rev,
): Promise<string> {
  const out = await gitMaybe(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd, bin })
  if (out === undefined || out.trim() === '')
    throw new WorktreeError('bad-input', `${label} is not a commit in this repository`)
  return out.trim()
}

/** The repository facts every operation needs, from any folder inside it. */
export interface RepoInfo {
  /** The top of the main checkout (or of the worktree `cwd` lies in). */
  root: string
  /** The shared `.git` folder (absolute). */
  commonDir: string
  /**
   * The main checkout (the folder holding `.git`), even when `dir` lies in a linked worktree:
   * worktrees are named and placed from it, and the copy list is read there.
   */
  main: string
}

/**
 * Checks that `dir` lies in a git repository: a clear `not-a-repo` error otherwise (and
 * `git-missing` when git is not installed, or `not-found` when the folder does not exist).
 */
export async function repoInfo(dir: string, bin?: string): Promise<RepoInfo> {
  if (typeof dir !== 'string' || dir === '')
    throw new WorktreeError('bad-input', 'A repository folder is required')
  const { stat } = await import('node:fs/promises')
  const st = await stat(dir).catch(() => undefined)
  if (!st?.isDirectory()) throw new WorktreeError('not-found', `No such folder: ${dir}`)
  let out: string
  try {
    out = await git(
      ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir'],
      { cwd: dir, bin },
    )
  } catch (error) {
    if (error instanceof WorktreeError && error.code === 'git-failed')
      throw new WorktreeError('not-a-repo', `${dir} is not in a git repository`)
    throw error
  }
  const [root, commonDir] = out.split('\n')
  if (!root || !commonDir)
    throw new WorktreeError('not-a-repo', `${dir} is not a git checkout with a work tree`)
  const main = basename(commonDir) === '.git' ? dirname(commonDir) : root
  return { root, commonDir, main }
}
