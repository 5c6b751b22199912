/**
 * The ignored files a new worktree needs to run (`.env`, local config): listed in
 * `.paddock/worktree.json` (`copy`) and in `.worktreeinclude` (one pattern a line, `#` comments),
 * copied copy-on-write where the file system can (`COPYFILE_FICLONE` falls back to a plain copy).
 */
import { constants } from 'node:fs'
import { copyFile, lstat, mkdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import picomatch from 'picomatch'
import { z } from 'zod'
import { WorktreeError } from './errors'
import { git } from './git'

/** `.paddock/worktree.json`. */
export const WorktreeConfigSchema = z
  .object({
    /** Patterns of ignored files copied into each new worktree (relative to the repository). */
    copy: z.array(z.string().min(1)).default([]),
    /** A command to run once in the new worktree (run by the session's terminal, not here). */
    setup: z.string().min(1).optional(),
  })
  // Unknown keys are dropped, not refused: a newer Paddock's config must not break an older one.
  .strip()

export type WorktreeConfig = z.infer<typeof WorktreeConfigSchema>

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Reads `.paddock/worktree.json` and `.worktreeinclude`; a malformed config is a clear error. */
export async function readWorktreeConfig(repoRoot: string): Promise<WorktreeConfig> {
  const jsonPath = join(repoRoot, '.paddock', 'worktree.json')
  const text = await readText(jsonPath)
  let config: WorktreeConfig = { copy: [] }
  if (text !== undefined) {
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw new WorktreeError('bad-config', `${jsonPath} is not JSON: ${(error as Error).message}`)
    }
    const parsed = WorktreeConfigSchema.safeParse(raw)
    if (!parsed.success)
      throw new WorktreeError(
        'bad-config',
        `${jsonPath}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
      )
    config = parsed.data
  }
  const include = await readText(join(repoRoot, '.worktreeinclude'))
  if (include !== undefined) {
    const lines = include
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
    config = { ...config, copy: [...config.copy, ...lines] }
  }
  return config
}

/**
 * A matcher for copy patterns, in the spirit of gitignore: a pattern without a slash matches a
 * file name at any depth (`.env`, `*.local`); one with a slash is anchored at the repository's top
 * (`config/local.*`). A pattern that climbs out (`..`) or is absolute is refused.
 */
export function copyMatcher(patterns: string[]): (relPath: string) => boolean {
  const matchers = patterns.map((raw) => {
    const pattern = raw.replace(/^\.\//, '').replace(/\/$/, '')
    if (pattern.startsWith('/') && !pattern.startsWith('//')) {
      const anchored = pattern.slice(1)
      return picomatch(anchored, { dot: true })
    }
    if (pattern.split('/').includes('..') || /^[A-Za-z]:/.test(pattern))
      throw new WorktreeError('bad-config', `Copy pattern leaves the repository: ${raw}`)
    if (!pattern.includes('/')) return picomatch(pattern, { dot: true, basename: true })
    return picomatch(pattern, { dot: true })
  })
  return (relPath) => matchers.some((m) => m(relPath))
}

/**
 * Copies the ignored files of `repoRoot` matching `patterns` into `worktree`, keeping their
 * relative paths. Only ignored regular files are considered: tracked ones come with the checkout,
 * symlinks are skipped. Returns the relative paths copied.
 */
export async function copyIgnoredFiles(
  repoRoot: string,
  worktree: string,
  patterns: string[],
  bin?: string,
): Promise<string[]> {
  if (patterns.length === 0) return []
  const matches = copyMatcher(patterns)
  const out = await git(['ls-files', '-z', '--others', '--ignored', '--exclude-standard'], {
    cwd: repoRoot,
    bin,
  })
  const files: string[] = []
  for (const rel of out.split('\0').filter((p) => p !== '' && matches(p))) {
    // Only regular files: a symlink would be followed by copyFile and bring its target (say
    // `~/.aws/credentials` behind an ignored `.env` link) into the worktree as a plain file.
    if (!(await lstat(join(repoRoot, rel)).catch(() => undefined))?.isFile()) continue
    files.push(rel)
    const target = join(worktree, rel)
    await mkdir(dirname(target), { recursive: true })
    await copyFile(join(repoRoot, rel), target, constants.COPYFILE_FICLONE)
  }
  return files
}
