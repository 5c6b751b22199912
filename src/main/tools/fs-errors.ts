/** The errno code of a filesystem error (`ENOENT`, `ENOSPC`, ...), if it has one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}

const HINTS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of the path is a file, not a directory',
  EROFS: 'read-only file system',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'resource busy',
  EIO: 'input/output error',
}

/** A one-line description of an error for a tool result: `ENOSPC (no space left on device)`. */
export function describeError(err: unknown): string {
  const code = errnoCode(err)
  if (code) return HINTS[code] ? `${code} (${HINTS[code]})` : code
  return err instanceof Error ? err.message : String(err)
}
