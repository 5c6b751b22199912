/**
 * Creating a session's worktree: `git worktree add -b paddock/<slug> <path> <base>`, then the
 * ignored files of the copy list.
 *
 * Crash safety: before anything is made, a marker naming the folder and branch is written
 * (atomically, and claiming the name against other processes) under the repository's
 * `.git/paddock/creating/`; it is removed only once the
 * worktree is complete. A process killed in between leaves the marker, and `recoverWorktrees`
 * (run at start) removes what that creation made — the folder, git's admin entry, the branch.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { z } from 'zod'
import { isWithin } from '../core/within'
import { copyIgnoredFiles, readWorktreeConfig } from './copy-files'
import { WorktreeError } from './errors'
import { commitOf, git, gitMaybe, repoInfo } from './git'
import { branchFor, uniqueSlug, worktreeDir, worktreesRoot } from './worktree-paths'

export interface CreateWorktreeInput {
  /** Any folder inside the repository. */
  repoRoot: string
  /** The session title the slug comes from. */
  title: string
  /** A commit-ish to start from; the current branch's HEAD by default. */
  base?: string
  /** The configured `worktrees.dir`; `<repo parent>/<repo>.worktrees` by default. */
  root?: string
  /** The branch to create; `paddock/<slug>` by default. Must not exist yet. */
  branch?: string
  /** Slugs not to take (those of deleted sessions that can still be restored). */
  avoid?: readonly string[]
  /** The git binary (tests, or a configured path). */
  gitBin?: string
  /**
   * Called after each step; lets tests stop a creation mid-way (kill -9 after `added`).
   * @internal
   */
  onStep?: (step: 'marked' | 'added' | 'copied') => Promise<void> | void
}

export interface CreatedWorktree {
  path: string
  branch: string
  /** The base as the user named it (the current branch by default, or its commit when detached). */
  base: string
  /** The commit the branch starts at. */
  baseCommit: string
  slug: string
  /** The ignored files copied in (relative paths). */
  copied: string[]
  /** The `setup` command of `.paddock/worktree.json`, for the session's terminal to run. */
  setup?: string
}

const MarkerSchema = z.object({ path: z.string(), branch: z.string(), pid: z.number() })

function markerDir(commonDir: string): string {
  return join(commonDir, 'paddock', 'creating')
}

/** Refuses a base that git could mistake for an option or that is not a ref name. */
function checkBase(base: string): void {
  if (
    base === '' ||
    base.startsWith('-') ||
    /[\0\s~^:?*[\\]/.test(base.replace(/\^\{commit\}$/, ''))
  )
    throw new WorktreeError('bad-input', `Not a valid base: ${JSON.stringify(base)}`)
}

/** Resolves the base: the name to record and the commit to start at. */
async function resolveBase(
  cwd: string,
  base: string | undefined,
  bin: string | undefined,
): Promise<{ name: string; commit: string }> {
  if (base !== undefined) {
    checkBase(base)
    return { name: base, commit: await commitOf(cwd, base, bin, `The base ${base}`) }
  }
  const head = await gitMaybe(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd, bin })
  if (head === undefined || head.trim() === '')
    throw new WorktreeError('bad-input', 'The repository has no commit yet: commit once first')
  const branch = await gitMaybe(['symbolic-ref', '--short', '-q', 'HEAD'], { cwd, bin })
  const commit = head.trim()
  return { name: branch?.trim() || commit, commit }
}

/**
 * Picks a free slug and claims it with its marker, atomically: the marker is written to a
 * temporary file, then hard-linked to its name, which fails if another process (a second Paddock,
 * the CLI) claimed the same slug first — then the next name is tried. The marker is complete
 * whenever it exists.
 */
async function claimSlug(
  main: string,
  commonDir: string,
  {
    title,
    root,
    avoid = [],
  }: { title: string; root?: string | undefined; avoid?: readonly string[] },
  chosenBranch: string | undefined,
  bin: string | undefined,
): Promise<{ slug: string; marker: string; branch: string }> {
  const markers = markerDir(commonDir)
  await mkdir(markers, { recursive: true })
  const skip = new Set<string>(avoid)
  for (;;) {
    const slug = await uniqueSlug(main, title, root, bin, skip)
    const marker = join(markers, `${slug}.json`)
    const tmp = `${marker}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    const branch = chosenBranch ?? branchFor(slug)
    const data = { path: worktreeDir(main, slug, root), branch, pid: process.pid }
    await writeFile(tmp, JSON.stringify(data))
    try {
      await link(tmp, marker)
      return { slug, marker, branch }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      skip.add(slug)
    } finally {
      await rm(tmp, { force: true })
    }
  }
}

/** A branch name the user chose: valid for git and not taken. */
async function freeBranch(cwd: string, name: string, bin: string | undefined): Promise<string> {
  const valid = name.startsWith('-')
    ? undefined
    : await gitMaybe(['check-ref-format', '--branch', name], { cwd, bin })
  if (valid === undefined)
    throw new WorktreeError('bad-input', `Not a valid branch name: ${JSON.stringify(name)}`)
  const taken = await gitMaybe(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`], {
    cwd,
    bin,
  })
  if (taken !== undefined && taken.trim() !== '')
    throw new WorktreeError('bad-input', `The branch ${name} exists already: pick another name`)
  return name
}

/** Creates a worktree for a session; see the file comment for what a crash leaves. */
export async function createWorktree(input: CreateWorktreeInput): Promise<CreatedWorktree> {
  if (typeof input.title !== 'string')
    throw new WorktreeError('bad-input', 'A session title is required')
  const bin = input.gitBin
  const repo = await repoInfo(input.repoRoot, bin)
  const base = await resolveBase(repo.root, input.base, bin)
  const main = repo.main
  if (isWithin(main, worktreesRoot(main, input.root)))
    throw new WorktreeError(
      'bad-input',
      `Worktrees must live outside the checkout: ${worktreesRoot(main, input.root)} is inside ${main}`,
    )
  const config = await readWorktreeConfig(main)
  const chosen = input.branch !== undefined ? await freeBranch(main, input.branch, bin) : undefined
  const { slug, marker, branch } = await claimSlug(main, repo.commonDir, input, chosen, bin)
  const path = worktreeDir(main, slug, input.root)
  await input.onStep?.('marked')

  try {
    await mkdir(join(path, '..'), { recursive: true })
    await git(['worktree', 'add', '--quiet', '-b', branch, '--', path, base.commit], {
      cwd: main,
      bin,
    })
    await input.onStep?.('added')
    const copied = await copyIgnoredFiles(main, path, config.copy, bin)
    await input.onStep?.('copied')
    await rm(marker, { force: true })
    return {
      path,
      branch,
      base: base.name,
      baseCommit: base.commit,
      slug,
      copied,
      ...(config.setup !== undefined ? { setup: config.setup } : {}),
    }
  } catch (error) {
    // A failure (not a crash): undo now rather than waiting for the next start.
    await undoCreation(main, repo.commonDir, path, branch, bin)
    await rm(marker, { force: true })
    throw error
  }
}

/** Removes what a creation of `path` on `branch` made, whatever step it reached. */
async function undoCreation(
  repoRoot: string,
  commonDir: string,
  path: string,
  branch: string,
  bin: string | undefined,
): Promise<void> {
  await gitMaybe(['worktree', 'remove', '--force', '--force', '--', path], { cwd: repoRoot, bin })
  await rm(path, { recursive: true, force: true })
  await removeAdminEntry(commonDir, path)
  await gitMaybe(['worktree', 'prune'], { cwd: repoRoot, bin })
  await gitMaybe(['branch', '-D', '--', branch], { cwd: repoRoot, bin })
}

/**
 * Removes git's admin folder (`.git/worktrees/<name>`) of a creation cut short. `git worktree
 * add` locks it ("initializing") while it works, and prune skips locked entries, so a kill in the
 * middle leaves one prune never removes. Matched by its `gitdir` (pointing at `path/.git`), or,
 * when that was not written yet, by an "initializing" lock and the folder's name.
 */
async function removeAdminEntry(commonDir: string, path: string): Promise<void> {
  const admin = join(commonDir, 'worktrees')
  const names = await readdir(admin).catch(() => [] as string[])
  const name = basename(path)
  for (const entry of names) {
    const dir = join(admin, entry)
    const gitdir = await readFile(join(dir, 'gitdir'), 'utf8').catch(() => undefined)
    const ours =
      gitdir !== undefined
        ? resolve(gitdir.trim()) === resolve(path, '.git')
        : (entry === name || new RegExp(`^${name}\\d+$`).test(entry)) &&
          (await readFile(join(dir, 'locked'), 'utf8').catch(() => '')).trim() === 'initializing'
    if (ours) await rm(dir, { recursive: true, force: true })
  }
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

/** What recovery cleaned up. */
export interface Recovered {
  /** Half-made worktrees removed (folder, admin entry and branch). */
  removed: { path: string; branch: string }[]
  /** Creations left alone: their process is still alive (another Paddock, or this one). */
  inProgress: { path: string; branch: string }[]
}

/** A creation older than this is never in flight (its pid may have been reused since). */
const MAX_CREATION_MS = 10 * 60 * 1000

/** Whether the marker's process still runs and the marker is recent: then the creation is live. */
async function inFlight(pid: number, marker: string): Promise<boolean> {
  const st = await stat(marker).catch(() => undefined)
  if (!st || Date.now() - st.mtimeMs > MAX_CREATION_MS) return false
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Run at start: removes every worktree whose creation did not finish (a marker left behind by a
 * process that is gone), then `git worktree prune`. A creation whose process still runs (another
 * Paddock window or the CLI) is left alone and reported as in progress.
 */
export async function recoverWorktrees(repoRoot: string, gitBin?: string): Promise<Recovered> {
  const repo = await repoInfo(repoRoot, gitBin)
  const dir = markerDir(repo.commonDir)
  const main = repo.main
  const names = await readdir(dir).catch(() => [] as string[])
  const removed: Recovered['removed'] = []
  const inProgress: Recovered['inProgress'] = []
  for (const name of names) {
    const file = join(dir, name)
    if (!name.endsWith('.json')) {
      // A marker whose claim was cut short (nothing was made yet), unless its process still runs.
      const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1])
      if (!(Number.isInteger(pid) && (await inFlight(pid, file)))) await rm(file, { force: true })
      continue
    }
    const parsed = MarkerSchema.safeParse(await readJson(file))
    if (parsed.success && (await inFlight(parsed.data.pid, file))) {
      inProgress.push({ path: parsed.data.path, branch: parsed.data.branch })
      continue
    }
    // The marker's branch was free when it was written (a default `paddock/<slug>` or one the user
    // named and `freeBranch` checked), so the creation made it and removing it loses nothing.
    if (parsed.success) {
      await undoCreation(main, repo.commonDir, parsed.data.path, parsed.data.branch, gitBin)
      removed.push({ path: parsed.data.path, branch: parsed.data.branch })
    }
    await rm(file, { force: true })
  }
  await gitMaybe(['worktree', 'prune'], { cwd: main, bin: gitBin })
  return { removed, inProgress }
}
