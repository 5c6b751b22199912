/**
 * Real git repositories for integration tests: `git` run in a folder with a fixed identity, and
 * `initRepo`, a repository on `main` with one commit of the given files.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The identity of the tests' commits (the same as `initRepo`'s local config). */
export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
}

/** The environment for git in tests: this process's, with `GIT_IDENTITY`. */
export const GIT_ENV = { ...process.env, ...GIT_IDENTITY }

/** `git ...args` in `cwd` (with `GIT_ENV`); its stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' })
}

export interface InitRepoOptions {
  /** The first commit's message (default `first`). */
  message?: string
  /** Set a local user.name and user.email (default true). */
  config?: boolean
}

/**
 * Make `dir` (and its parents) a repository on `main`, write `files` (paths relative to it, their
 * folders made), and commit everything not ignored in one commit. Returns `dir`.
 */
export function initRepo(
  dir: string,
  files: Record<string, string | Buffer> = {},
  opts: InitRepoOptions = {},
): string {
  mkdirSync(dir, { recursive: true })
  git(dir, 'init', '-q', '-b', 'main')
  if (opts.config ?? true) {
    git(dir, 'config', 'user.email', GIT_IDENTITY.GIT_AUTHOR_EMAIL)
    git(dir, 'config', 'user.name', GIT_IDENTITY.GIT_AUTHOR_NAME)
  }
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), body)
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-qm', opts.message ?? 'first')
  return dir
}
