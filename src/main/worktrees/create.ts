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
import { link, lstat, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { isWithin } from '../core/within'
import { copyIgnoredFiles, readWorktreeConfig } from './copy-files'
import { WorktreeError } from './errors'
import { commitOf, git, gitMaybe, repoInfo } from './git'
import { worktreeEntries } from './list'
import { branchFor, isSlug, uniqueSlug, worktreeDir, worktreesRoot } from './worktree-paths'

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

/**
 * A creation's marker. `baseCommit` (the commit the branch starts at) lets recovery delete the
 * branch only while it still points there; a marker without it never deletes a branch.
 */
const MarkerSchema = z.object({
  path: z.string(),
  branch: z.string(),
  pid: z.number(),
  baseCommit: z
    .string()
    .regex(/^[0-9a-f]{40,64}$/)
    .optional(),
})

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
    const commit = await commitOf(cwd, base, bin, `The base ${base}`)
    // Only a local branch name is kept: anything else (`HEAD`, `main~1`, a tag, a remote branch)
    // would mean something else when re-resolved later inside the worktree (`HEAD` is then the
    // worktree's own tip, and the unpushed check would compare it with itself).
    const local = await gitMaybe(['rev-parse', '--verify', '--quiet', `refs/heads/${base}`], {
      cwd,
      bin,
    })
    return { name: local !== undefined && local.trim() !== '' ? base : commit, commit }
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
  baseCommit: string,
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
    const data = { path: worktreeDir(main, slug, root), branch, pid: process.pid, baseCommit }
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
  const { slug, marker, branch } = await claimSlug(
    main,
    repo.commonDir,
    input,
    chosen,
    base.commit,
    bin,
  )
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
    await undoCreation(main, repo.commonDir, { path, branch, baseCommit: base.commit }, bin)
    await rm(marker, { force: true })
    throw error
  }
}

/** What a creation made, as its marker (or the creation that failed) names it. */
interface Creation {
  path: string
  branch: string
  /** The commit the branch started at; without it the branch is never deleted. */
  baseCommit?: string | undefined
}

/** Escapes `text` for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Whether the folder at `path` (not registered with git, or git's removal failed) is a worktree
 * of THIS repository that a creation left half-made: empty, or holding a `.git` file (not a
 * folder) that is still empty or whose `gitdir:` points into `<commonDir>/worktrees/`. Anything else — a user's folder a
 * forged marker names — is never removed.
 */
async function ownFolder(path: string, commonDir: string): Promise<boolean> {
  const names = await readdir(path).catch(() => undefined)
  if (names === undefined) return false
  if (names.length === 0) return true
  const dotGit = await lstat(join(path, '.git')).catch(() => undefined)
  if (!dotGit?.isFile()) return false
  const text = await readFile(join(path, '.git'), 'utf8').catch(() => undefined)
  if (text === undefined) return false
  // Empty: killed between git creating the file and writing its one line.
  if (text === '') return true
  const gitdir = /^gitdir: (.+)$/m.exec(text)?.[1]?.trim()
  return gitdir !== undefined && dirname(resolve(gitdir)) === resolve(commonDir, 'worktrees')
}

/**
 * Removes what a creation of `c.path` on `c.branch` made, whatever step it reached, touching
 * nothing else: git's entry is removed only while half-made ("initializing", or added with nothing
 * `status` shows); the folder only when `ownFolder` says so; git's admin entries only the ones
 * naming this folder; the branch only when it still points at `c.baseCommit` and no worktree has
 * it checked out. No `git worktree prune`: that would also prune the user's own worktrees whose
 * drive is not mounted. Returns why something was left, or undefined when all is gone.
 */
async function undoCreation(
  repoRoot: string,
  commonDir: string,
  c: Creation,
  bin: string | undefined,
): Promise<string | undefined> {
  const path = resolve(c.path)
  const opts = { cwd: repoRoot, bin }
  const entry = (await worktreeEntries(repoRoot, bin).catch(() => [])).find(
    (e) => resolve(e.path) === path,
  )
  if (entry !== undefined) {
    if (entry.main) return 'it is the main checkout'
    const lock = await readFile(join(commonDir, 'worktrees', basename(path), 'locked'), 'utf8')
      .then((t) => t.trim())
      .catch(() => undefined)
    const clean =
      entry.branch === `refs/heads/${c.branch}` &&
      (await gitMaybe(['status', '--porcelain', '-z', '--untracked-files=all'], {
        cwd: path,
        bin,
      }).catch(() => undefined)) === ''
    if (!(lock === 'initializing' || entry.locked || clean))
      return 'it is a complete worktree with work in it'
    await gitMaybe(['worktree', 'remove', '--force', '--force', '--', path], opts)
  }
  if (await stat(path).catch(() => undefined)) {
    if (!(await ownFolder(path, commonDir))) return 'the folder is not a half-made worktree'
    await rm(path, { recursive: true, force: true })
  }
  await removeAdminEntry(commonDir, path)
  if (c.baseCommit === undefined) return undefined
  const checkedOut = (await worktreeEntries(repoRoot, bin).catch(() => [])).some(
    (e) => e.branch === `refs/heads/${c.branch}`,
  )
  // `update-ref -d <ref> <old>` deletes only while the branch still points at the creation's
  // start: a branch that moved (or a user's branch a forged marker names) is kept.
  if (!checkedOut)
    await gitMaybe(['update-ref', '-d', `refs/heads/${c.branch}`, c.baseCommit], opts)
  return undefined
}

/**
 * Removes git's admin folder (`.git/worktrees/<name>`) of a creation cut short, once its folder is
 * gone. `git worktree add` locks it ("initializing") while it works, and prune skips locked
 * entries, so a kill in the middle leaves one prune never removes. Matched by its `gitdir`
 * (pointing at `path/.git`), or, when that was not written yet, by the folder's name and a lock
 * that is "initializing" or not written yet either (killed a few ms in: the admin folder exists,
 * nothing in it).
 */
async function removeAdminEntry(commonDir: string, path: string): Promise<void> {
  const admin = join(commonDir, 'worktrees')
  const names = await readdir(admin).catch(() => [] as string[])
  const name = basename(path)
  const numbered = new RegExp(`^${escapeRegExp(name)}\\d+$`)
  for (const entry of names) {
    const dir = join(admin, entry)
    // A kill between git's open() and write() leaves `gitdir` or `locked` empty: such a file
    // says nothing, and counts as not written yet.
    const gitdir = (await readFile(join(dir, 'gitdir'), 'utf8').catch(() => '')).trim()
    const lock = (await readFile(join(dir, 'locked'), 'utf8').catch(() => '')).trim()
    const ours =
      gitdir !== ''
        ? resolve(gitdir) === resolve(path, '.git')
        : (entry === name || numbered.test(entry)) && (lock === '' || lock === 'initializing')
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
  /**
   * Markers not acted on, and folders not removed, with why: a malformed or forged marker (its
   * name not `<slug>.json`, its folder not named `<slug>`), or a folder that is not a half-made
   * worktree of this repository. Their marker is dropped; the folder and branch stay.
   */
  left: { path: string; reason: string }[]
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
 * process that is gone). A creation whose process still runs (another Paddock window or the CLI)
 * is left alone and reported as in progress.
 *
 * Markers live in the repository's `.git`, which the agent can write, so a marker is not trusted:
 * its file must be `<slug>.json` and its folder named `<slug>`; `undoCreation` removes only what
 * is provably a half-made worktree of this repository, and the branch only while it still points
 * at the marker's `baseCommit`.
 */
export async function recoverWorktrees(repoRoot: string, gitBin?: string): Promise<Recovered> {
  const repo = await repoInfo(repoRoot, gitBin)
  const dir = markerDir(repo.commonDir)
  const main = repo.main
  const names = await readdir(dir).catch(() => [] as string[])
  const removed: Recovered['removed'] = []
  const inProgress: Recovered['inProgress'] = []
  const left: Recovered['left'] = []
  for (const name of names) {
    const file = join(dir, name)
    if (!name.endsWith('.json')) {
      // A marker whose claim was cut short (nothing was made yet), unless its process still runs.
      const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1])
      if (!(Number.isInteger(pid) && (await inFlight(pid, file)))) await rm(file, { force: true })
      continue
    }
    const slug = name.slice(0, -'.json'.length)
    const parsed = MarkerSchema.safeParse(await readJson(file))
    if (!parsed.success || !isSlug(slug) || basename(parsed.data.path) !== slug) {
      left.push({ path: file, reason: 'not a marker Paddock wrote' })
      await rm(file, { force: true })
      continue
    }
    const creation = parsed.data
    if (await inFlight(creation.pid, file)) {
      inProgress.push({ path: creation.path, branch: creation.branch })
      continue
    }
    const why = await undoCreation(main, repo.commonDir, creation, gitBin)
    if (why === undefined) removed.push({ path: creation.path, branch: creation.branch })
    else left.push({ path: creation.path, reason: why })
    await rm(file, { force: true })
  }
  return { removed, inProgress, left }
}
