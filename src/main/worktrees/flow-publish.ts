/**
 * Push and Open pull request. Nothing here prompts: git runs with `GIT_TERMINAL_PROMPT=0`, and
 * `gh` with `GH_PROMPT_DISABLED=1`. A pull request goes through the GitHub CLI when it is
 * installed and signed in; otherwise the compare page's URL is returned with what to install.
 */
import { GitOutputError, WorktreeError } from './errors'
import { exitOutput, git, gitExit, gitMaybe } from './git'
import { checkRefName } from './flow-status'
import { githubCompareUrl, parseRemoteUrl } from './flow-remote'

export interface PushInput {
  worktreePath: string
  branch: string
  /** The remote; by default the branch's upstream remote, else `origin`, else the only remote. */
  remote?: string
  gitBin?: string
}

export interface Pushed {
  remote: string
  branch: string
  /** What git printed (the remote's messages, e.g. a link to open a pull request). */
  output: string
}

/** The remote to push to, or a `no-remote` error naming what exists. */
export async function pushRemote(
  cwd: string,
  branch: string,
  remote: string | undefined,
  bin?: string,
): Promise<string> {
  const remotes = (await git(['remote'], { cwd, bin })).split('\n').filter((r) => r !== '')
  if (remote !== undefined) {
    if (remotes.includes(remote)) return remote
    throw new WorktreeError('no-remote', `There is no remote named ${remote}`)
  }
  const upstream = (
    await gitMaybe(['config', '--get', `branch.${branch}.remote`], { cwd, bin })
  )?.trim()
  if (upstream && remotes.includes(upstream)) return upstream
  if (remotes.includes('origin')) return 'origin'
  if (remotes.length === 1 && remotes[0] !== undefined) return remotes[0]
  throw new WorktreeError(
    'no-remote',
    remotes.length === 0
      ? 'This repository has no remote to push to: add one (git remote add origin <url>)'
      : `Several remotes and none is origin (${remotes.join(', ')}): choose one`,
  )
}

/** `git push -u <remote> <branch>`: never prompts; a rejection carries git's output. */
export async function push(input: PushInput): Promise<Pushed> {
  const { worktreePath: cwd, branch, gitBin: bin } = input
  checkRefName(branch, 'branch')
  const remote = await pushRemote(cwd, branch, input.remote, bin)
  const r = await gitExit(
    ['push', '--porcelain', '-u', remote, `refs/heads/${branch}:refs/heads/${branch}`],
    { cwd, bin },
  )
  const out = exitOutput(r)
  if (r.code !== 0) throw new GitOutputError('push-failed', `git push to ${remote} failed`, out)
  return { remote, branch, output: out }
}

export interface PullRequestInput extends PushInput {
  base: string
  title: string
  body?: string
  /** The GitHub CLI; `gh` on the PATH by default. */
  ghBin?: string
}

export const GH_INSTALL =
  'Install the GitHub CLI (https://cli.github.com) and run gh auth login to open pull requests from Paddock.'
export const GH_SIGN_IN =
  'The GitHub CLI is installed but not signed in: run gh auth login to open pull requests from Paddock.'

export type PullRequest =
  | { via: 'gh'; url: string; pushed: Pushed; output: string }
  | {
      via: 'url'
      /** The compare page, or null when the remote is not on github.com (see `urlReason`). */
      url: string | null
      urlReason?: string
      /** What to install or run to open pull requests from Paddock. */
      install: string
      /** The push done so the compare page shows the branch, or why it failed. */
      pushed?: Pushed
      pushError?: string
    }

const GH_ENV = { GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', NO_COLOR: '1' }

/**
 * Runs gh through git.ts's runner (argument array, no shell, bytes decoded as UTF-8); undefined
 * when the binary is not there.
 */
async function runGh(
  bin: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string } | undefined> {
  try {
    return await gitExit(args, { cwd, bin, env: GH_ENV, gh: true })
  } catch (error) {
    if (error instanceof WorktreeError && error.code === 'git-missing') return undefined
    throw error
  }
}

/** Where gh stands on this machine for `host`. */
async function ghState(
  bin: string,
  cwd: string,
  host: string,
): Promise<'ready' | 'missing' | 'signed-out'> {
  const r = await runGh(bin, ['auth', 'status', '--hostname', host], cwd)
  if (r === undefined) return 'missing'
  return r.code === 0 ? 'ready' : 'signed-out'
}

/** The first pull request URL in gh's output. */
function prUrl(text: string): string | undefined {
  return /https?:\/\/\S+\/pull\/\d+/.exec(text)?.[0]
}

/**
 * Opens a pull request of the branch into the base. With gh ready: push, then `gh pr create`
 * (an existing pull request's URL is returned too). Otherwise: push when possible and return the
 * compare URL with what to install (`GH_INSTALL`) or run (`GH_SIGN_IN`).
 */
export async function openPullRequest(input: PullRequestInput): Promise<PullRequest> {
  const { worktreePath: cwd, branch, base, gitBin: bin } = input
  checkRefName(branch, 'branch')
  checkRefName(base, 'base')
  if (typeof input.title !== 'string' || input.title.trim() === '')
    throw new WorktreeError('bad-input', 'A pull request title is required')
  const remote = await pushRemote(cwd, branch, input.remote, bin)
  const remoteUrl = (await git(['remote', 'get-url', remote], { cwd, bin })).trim()
  const host = parseRemoteUrl(remoteUrl)?.host ?? 'github.com'
  const state = await ghState(input.ghBin ?? 'gh', cwd, host)

  if (state === 'ready') {
    const pushed = await push({ ...input, remote })
    const r = await runGh(
      input.ghBin ?? 'gh',
      [
        'pr',
        'create',
        '--base',
        base,
        '--head',
        branch,
        '--title',
        input.title.trim(),
        '--body',
        input.body ?? '',
      ],
      cwd,
    )
    const out = r ? exitOutput(r) : ''
    const url = prUrl(out)
    if (r && url !== undefined) return { via: 'gh', url, pushed, output: out }
    throw new GitOutputError('gh-failed', 'gh pr create failed', out)
  }

  const compare = githubCompareUrl(remoteUrl, base, branch)
  const install = state === 'missing' ? GH_INSTALL : GH_SIGN_IN
  let pushed: Pushed | undefined
  let pushError: string | undefined
  try {
    pushed = await push({ ...input, remote })
  } catch (error) {
    pushError = error instanceof Error ? error.message : String(error)
  }
  return {
    via: 'url',
    url: compare.url,
    ...(compare.url === null ? { urlReason: compare.reason } : {}),
    install,
    ...(pushed ? { pushed } : {}),
    ...(pushError !== undefined ? { pushError } : {}),
  }
}
