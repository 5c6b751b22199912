import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * Where `target` sits under `root`, as a `/`-separated relative path (`''` for the root itself),
 * or null when it is outside. Lexical: resolve symlinks first (realpath) where they matter. Every
 * "is this inside that folder" question of the engine goes through here (tool paths and glob
 * patterns, review reads and writes, checkpoint roots, the web host's static files, the CLI's
 * --files). The policy's path safeguard judges a path it has already made relative.
 */
export function pathWithin(root: string, target: string): string | null {
  const rel = relative(resolve(root), resolve(target))
  if (rel === '') return ''
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return null
  return rel.split(sep).join('/')
}

/** `target` is `root` or lies under it. */
export function isWithin(root: string, target: string): boolean {
  return pathWithin(root, target) !== null
}
