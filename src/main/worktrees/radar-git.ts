import { execFile } from 'node:child_process'

/**
 * The few git calls the collision radar needs, always through `execFile` with an argument array
 * (never a shell string: session titles and paths may hold spaces, quotes or non-ASCII).
 */
export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs git; a non-zero exit is returned, not thrown (merge-tree exits 1 on conflicts). */
export function runGit(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(err) // git missing (ENOENT) or killed: not an exit status
          return
        }
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr })
      },
    )
  })
}

/** Like runGit, but a non-zero exit throws with git's own words. */
export async function git(
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  const r = await runGit(args, opts)
  if (r.code !== 0) {
    throw new Error(
      `git ${args[0] ?? ''} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`,
    )
  }
  return r.stdout
}

/** `git version 2.39.5`, `git version 2.38.0.windows.1`, `git version 2.39.3 (Apple Git-145)`. */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const m = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text)
  if (!m) return undefined
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
}

/** `git merge-tree --write-tree` (the mode that needs no checkout) arrived in git 2.38. */
export function versionSupportsMergeTree(text: string): boolean {
  const v = parseGitVersion(text)
  if (!v) return false
  const [major, minor] = v
  return major > 2 || (major === 2 && minor >= 38)
}

export type MergeTreeSupport = { available: true } | { available: false; reason: string }

/** Whether this machine's git can run the radar, and why not when it cannot. */
export async function gitMergeTreeSupport(): Promise<MergeTreeSupport> {
  let out: string
  try {
    out = (await runGit(['--version'], { cwd: process.cwd() })).stdout
  } catch {
    return { available: false, reason: 'git was not found on this computer' }
  }
  if (versionSupportsMergeTree(out)) return { available: true }
  const shown = out.trim() || 'an unknown git version'
  return {
    available: false,
    reason: `the collision radar needs git 2.38 or newer (git merge-tree --write-tree); found ${shown}`,
  }
}

/** git ≥ 2.38, else the radar says it is unavailable. */
export async function gitSupportsMergeTree(): Promise<boolean> {
  return (await gitMergeTreeSupport()).available
}
