import { isAbsolute, relative, resolve, sep } from 'node:path'

/**
 * Where `target` sits under `root`, as a `/`-separated relative path (`''` for the root itself),
 * or null when it is outside. Lexical: resolve symlinks first (realpath) where they matter. This
 * is the one containment check of the security-relevant code (tool paths, review writes,
 * checkpoint roots, the web host's static files).
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
