import * as nodePath from 'node:path'

/** The path functions of one platform's rules (`node:path` itself, or `path.posix` / `path.win32`). */
export type PathFlavour = Pick<typeof nodePath, 'relative' | 'resolve' | 'isAbsolute' | 'sep'>

/**
 * Where `target` sits under `root`, as a `/`-separated relative path (`''` for the root itself),
 * or null when it is outside. Lexical: resolve symlinks first (realpath) where they matter. Every
 * "is this inside that folder" question of the engine goes through here (tool paths and glob
 * patterns, review reads and writes, checkpoint roots, the web host's static files, the CLI's
 * --files). The policy's path safeguard judges a path it has already made relative. `p` judges by
 * another platform's rules (`path.win32`), for code that must reason about a Windows workspace.
 */
export function pathWithin(root: string, target: string, p: PathFlavour = nodePath): string | null {
  const rel = p.relative(p.resolve(root), p.resolve(target))
  if (rel === '') return ''
  if (p.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${p.sep}`)) return null
  return rel.split(p.sep).join('/')
}

/** `target` is `root` or lies under it. */
export function isWithin(root: string, target: string, p: PathFlavour = nodePath): boolean {
  return pathWithin(root, target, p) !== null
}
