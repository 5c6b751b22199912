import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { isWithin } from '../core/within'
import { errnoCode, describeError } from './fs-errors'
import type { FsOps } from './types'

/** A tool path, resolved and checked to lie inside the workspace (or another allowed root). */
export interface ResolvedPath {
  /** Absolute path as asked for, normalised lexically (`..` and `.` removed, symlinks kept). */
  abs: string
  /**
   * Real path: symlinks resolved. For a path that does not exist yet, its deepest existing ancestor
   * resolved plus the remaining names. Tools do their I/O on this path.
   */
  real: string
  /** For messages: relative to the workspace root with `/` separators (`.` for the root itself),
   * or the absolute real path when the path lies in an extra root (the spill folder). */
  display: string
  /** Whether `real` exists (the final name included). */
  exists: boolean
}

export type PathResolution = { ok: true; path: ResolvedPath } | { ok: false; message: string }

export interface ResolveOptions {
  /** The caller will write: refuse paths inside a `.git` folder. */
  write?: boolean
  /** Further folders a read may reach (the spill folder, so the model can page through a spill). */
  extraRoots?: readonly string[]
}

/** Lexical resolution of a tool argument (no I/O): relative to the workspace root, or absolute. */
export function lexicalPath(workspaceRoot: string, input: string): string {
  const trimmed = input.trim()
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(workspaceRoot, trimmed)
}

/** `abs` relative to `root`, `/`-separated; `.` for the root itself. */
export function relativePath(root: string, abs: string): string {
  const rel = relative(root, abs)
  return rel === '' ? '.' : rel.split(sep).join('/')
}

async function realOr(fs: FsOps, path: string): Promise<string> {
  try {
    return await fs.realpath(path)
  } catch {
    return path
  }
}

function outside(abs: string, root: string): PathResolution {
  return {
    ok: false,
    message: `Refused: ${abs} is outside the workspace ${root}. (Paths outside the workspace are not allowed yet.)`,
  }
}

/**
 * Resolve a path argument of a tool. Relative paths are taken from the workspace root. A path
 * outside the workspace, or one whose real path escapes it through a symlink (a symlinked parent
 * folder included, for files that do not exist yet), is refused, as is a write inside `.git/`.
 * Never throws for a bad path: refusals come back as `{ ok: false, message }`.
 */
export async function resolveToolPath(
  ctx: { workspaceRoot: string; fs: FsOps },
  input: string,
  options: ResolveOptions = {},
): Promise<PathResolution> {
  const root = resolve(ctx.workspaceRoot)
  const realRoot = await realOr(ctx.fs, root)
  const extra = options.write ? [] : (options.extraRoots ?? []).map((r) => resolve(r))
  const realExtra = await Promise.all(extra.map((r) => realOr(ctx.fs, r)))
  const abs = lexicalPath(root, input)

  const lexicallyAllowed = [root, realRoot, ...extra, ...realExtra].some((r) => isWithin(r, abs))
  if (!lexicallyAllowed) return outside(abs, root)

  // Resolve symlinks: the deepest existing ancestor's real path plus the names that do not exist.
  const rest: string[] = []
  let probe = abs
  let realBase: string | undefined
  for (;;) {
    try {
      realBase = await ctx.fs.realpath(probe)
      break
    } catch (err) {
      const code = errnoCode(err)
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        return { ok: false, message: `Cannot resolve ${abs}: ${describeError(err)}.` }
      }
      // A name that exists but cannot be resolved is a dangling symlink: where it points is unknown.
      const isLink = await ctx.fs.lstat(probe).then(
        (s) => s.isSymbolicLink,
        () => false,
      )
      if (isLink) {
        return {
          ok: false,
          message: `Refused: ${abs} goes through the symbolic link ${probe}, whose target does not exist.`,
        }
      }
      const parent = dirname(probe)
      if (parent === probe) break
      rest.unshift(basename(probe))
      probe = parent
    }
  }
  if (realBase === undefined) return { ok: false, message: `Cannot resolve ${abs}.` }
  const real = rest.length ? resolve(realBase, ...rest) : realBase

  let display: string
  if (isWithin(realRoot, real)) {
    display = relativePath(realRoot, real)
  } else if (realExtra.some((r) => isWithin(r, real))) {
    display = real
  } else {
    return {
      ok: false,
      message: `Refused: ${abs} resolves through a symbolic link to ${real}, which is outside the workspace ${root}. (Paths outside the workspace are not allowed yet.)`,
    }
  }

  if (options.write) {
    const names = [...relativePath(realRoot, real).split('/'), ...relative(root, abs).split(sep)]
    if (names.includes('.git')) {
      return {
        ok: false,
        message: `Refused: ${display} is inside a .git folder. Tools do not write Git's internals; use git commands through bash.`,
      }
    }
  }
  return { ok: true, path: { abs, real, display, exists: rest.length === 0 } }
}
