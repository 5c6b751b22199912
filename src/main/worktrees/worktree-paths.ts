/**
 * Names for a session's worktree: the slug from its title, the folder and the branch. Pure
 * except `uniqueSlug`, which looks at the disk and the repository so names never collide.
 */
import { access } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { gitMaybe } from './git'

/** Slugs stay short: they appear in folder names, branch names and tabs. */
export const MAX_SLUG_LENGTH = 40

/** The prefix of every branch Paddock creates. */
export const BRANCH_PREFIX = 'paddock/'

/** The ref namespace holding deleted worktrees (see delete.ts). */
export const DELETED_REF_PREFIX = 'refs/paddock/deleted/'

/**
 * An ASCII slug of `title`: accents folded (é → e), lowercase, runs of anything else turned into
 * one dash, at most MAX_SLUG_LENGTH characters, never empty (`session`).
 */
export function slugify(title: string): string {
  const folded = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  const cut = folded.slice(0, MAX_SLUG_LENGTH).replace(/-+$/g, '')
  return cut === '' ? 'session' : cut
}

/** Whether `slug` is one `slugify` could produce (checked before it is used in a path or ref). */
export function isSlug(slug: string): boolean {
  return (
    slug.length > 0 && slug.length <= MAX_SLUG_LENGTH + 8 && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)
  )
}

/** The branch of a worktree: `paddock/<slug>`. */
export function branchFor(slug: string): string {
  return `${BRANCH_PREFIX}${slug}`
}

/** The folder holding a repository's worktrees: `root` when configured, else `<parent>/<repo>.worktrees`. */
export function worktreesRoot(repoRoot: string, root?: string): string {
  if (root !== undefined && root !== '') return resolve(root)
  const abs = resolve(repoRoot)
  return join(dirname(abs), `${basename(abs)}.worktrees`)
}

/** The folder of one worktree. */
export function worktreeDir(repoRoot: string, slug: string, root?: string): string {
  return join(worktreesRoot(repoRoot, root), slug)
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

/**
 * The first of `slug`, `slug-2`, `slug-3`… not in `skip`, whose folder does not exist and whose
 * branch is free in the repository. (Saves of deleted worktrees live in the checkpoint store, not
 * here: the caller passes their slugs in `skip`.)
 */
export async function uniqueSlug(
  repoRoot: string,
  title: string,
  root?: string,
  bin?: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<string> {
  const base = slugify(title)
  for (let n = 1; n < 10_000; n++) {
    const slug = n === 1 ? base : `${base}-${n}`
    if (skip.has(slug)) continue
    if (await exists(worktreeDir(repoRoot, slug, root))) continue
    const taken = await gitMaybe(
      ['for-each-ref', '--format=%(refname)', `refs/heads/${branchFor(slug)}`],
      { cwd: repoRoot, bin },
    )
    if (taken === undefined || taken.trim() === '') return slug
  }
  throw new Error(`No free worktree name for ${base}`)
}
