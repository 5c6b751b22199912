import type { PlatformPath } from 'node:path'
import { posix, win32 } from 'node:path'
import { isSecretFileName } from '../core/secret-files'
import { isWithin } from '../core/within'
import type { Repair } from './repair'
import type { RepairContext, RepairFs } from './repair-context'
import { nodeRepairFs } from './repair-context'
import { RepairRefusal } from './repair-errors'

/**
 * Paths under a container root the model imagines (`/workspace/hello.txt`, `/testbed/src/a.py`):
 * models trained in SWE-bench-like sandboxes address the project there. Such a path is mapped
 * into the workspace only when it cannot be a real one and the rest of it is there:
 *
 * - it is absolute and outside the workspace, and nothing is at that path on this machine (a
 *   real file outside, `/etc/passwd` say, is left for the permission policy to judge);
 * - it goes through no credential folder (`.ssh`, `.aws`, `.gnupg`, `.config/gh`) and names no
 *   secret file (`.env`, `id_rsa`, …): protected paths are left as written, for the policy;
 * - a prefix this machine does not have is stripped: a known container root (`/workspace`,
 *   `/home/user/project`, …) or a top folder that does not exist here, optionally followed by
 *   the workspace folder's own name; the whole path read relative to the workspace is a reading
 *   too, when its top folder does not exist here (`/src/a.py` → `src/a.py`);
 * - exactly one reading exists in the workspace. A call that creates the file needs only its
 *   folder there, and only under a known container root: a top folder that is merely missing here
 *   (`/output/result.txt`) is stripped only when the rest exists, or a new file would be put
 *   wherever a made-up folder happened to be missing.
 *
 * Paths are read by the workspace's platform (`RepairContext.platform`): on Windows the made-up
 * path is on the workspace's drive, and split on `\`.
 *
 * Two readings that both exist are refused, naming both. A made-up path with no reading that
 * exists is refused too, saying which workspace path it probably meant: the permission policy
 * would only have refused it as outside the workspace. Runs before the policy, so the policy
 * judges the mapped path.
 */

/** Container roots models write paths under, longest first. */
export const CONTAINER_ROOTS: readonly string[] = [
  '/home/user/project',
  '/home/user/workspace',
  '/home/user/app',
  '/home/user/repo',
  '/home/user/code',
  '/usr/src/app',
  '/mnt/user-data',
  '/mnt/workspace',
  '/mnt/data',
  '/opt/app',
  '/workspaces',
  '/workspace',
  '/testbed',
  '/project',
  '/app',
  '/repo',
  '/code',
]

const CREDENTIAL_SEGMENTS = new Set(['.ssh', '.aws', '.gnupg'])

interface Reading {
  /** Workspace-relative, `/`-separated; `.` for the root itself. */
  rel: string
  /**
   * The made-up prefix stripped is a known container root (`/workspace`): a new file may be
   * created there. A reading from a top folder that is merely missing on this machine
   * (`/output/result.txt`), or from the whole path read inside the workspace, must exist.
   */
  known: boolean
  /** The prefix stripped (`/output`), for messages; empty when the whole path was read inside. */
  prefix: string
}

/**
 * The call's `path` mapped into the workspace when it is a made-up container path (see the
 * module comment); `input` itself when there is nothing to map. Throws `RepairRefusal` for a
 * made-up path with two readings or none.
 */
export function remapPath(
  input: Record<string, unknown>,
  ctx: RepairContext,
  repairs: Repair[],
): Record<string, unknown> {
  const given = input.path
  if (typeof given !== 'string' || !given.trim().startsWith('/')) return input
  const p = pathFlavour(ctx)
  const fs = ctx.fs ?? nodeRepairFs
  const root = p.resolve(ctx.workspaceRoot)
  // Against the workspace root, as the tools resolve it: on Windows `/a` is on the root's drive.
  const abs = p.resolve(root, given.trim())
  if (isWithin(root, abs, p) || isWithin(fs.realpath(root), abs, p)) return input
  const segments = pathSegments(p, abs)
  if (segments.length === 0 || throughCredentials(segments)) return input
  if (isSecretFileName(segments[segments.length - 1]!)) return input
  if (fs.mayExist(abs)) return input

  const top = (parts: readonly string[]): string => p.resolve(root, `/${parts.join('/')}`)
  const readings = readingsOf(segments, p.basename(root), fs, top)
  if (readings.length === 0) return input
  const creates = createsFile(input)
  const fits = readings.filter((r) => {
    const target = p.join(root, r.rel)
    return creates && r.known ? fs.kind(p.dirname(target)) === 'dir' : fs.kind(target) !== null
  })

  if (fits.length > 1) {
    const listed = fits.map((r) => r.rel).join(' and ')
    const each = fits.length === 2 ? 'both' : 'all'
    const have = fits.every((r) => !creates || !r.known) ? 'exist' : 'have their folder'
    throw new RepairRefusal(
      `path: ${given} is outside the workspace, and it could mean ${listed} in the workspace, ` +
        `which ${each} ${have}. Call again with the workspace-relative path you mean.`,
    )
  }
  const fit = fits[0]
  if (!fit) {
    const meant = readings[0]!
    const rel = meant.rel
    const why = !creates
      ? `that does not exist in the workspace either`
      : meant.known
        ? `its folder ${posix.dirname(rel)} does not exist in the workspace yet; if you meant ` +
          `to create it there, call again with path ${rel}`
        : `${meant.prefix || given.trim()} is not a container root Paddock knows and ${rel} ` +
          `does not exist in the workspace, so it was not taken there; if you meant to create ` +
          `it there, call again with path ${rel}`
    throw new RepairRefusal(
      `path: ${given} is outside the workspace and does not exist. Paths are relative to the ` +
        `workspace root: you probably meant ${rel}, but ${why}.`,
    )
  }
  repairs.push({
    kind: 'path_remapped',
    field: 'path',
    detail: `path: ${given} is outside the workspace and does not exist; ${fit.rel} does in the workspace → ${fit.rel}`,
    tell:
      `Note: ${given} is outside the workspace; it was taken as ${fit.rel} in the workspace. ` +
      `Paths are relative to the workspace root.`,
  })
  return { ...input, path: fit.rel }
}

/** The path rules of the workspace's platform. */
function pathFlavour(ctx: RepairContext): PlatformPath {
  return (ctx.platform ?? process.platform) === 'win32' ? win32 : posix
}

/**
 * The names along an absolute path, below its root (`/`, `C:\`, `\\server\share\`), split on
 * the platform's separator: `C:\workspace\a` is `workspace`, `a` (not one name, as a split on
 * `/` would make it).
 */
export function pathSegments(p: PlatformPath, abs: string): string[] {
  const normal = p.normalize(abs)
  return normal
    .slice(p.parse(normal).root.length)
    .split(p.sep)
    .filter((s) => s !== '')
}

/**
 * The workspace-relative readings of a made-up absolute path, the likeliest first, unique.
 * `top(parts)` is where the leading `parts` are on this machine.
 */
function readingsOf(
  segments: readonly string[],
  base: string,
  fs: RepairFs,
  top: (parts: readonly string[]) => string,
): Reading[] {
  const out: Reading[] = []
  const add = (rest: readonly string[], known: boolean, prefix: string): void => {
    const rel = rest.length ? rest.join('/') : '.'
    if (!out.some((r) => r.rel === rel)) out.push({ rel, known, prefix })
  }
  /** Strip a made-up prefix, and the workspace's own name after it when that follows. */
  const strip = (prefixLength: number, known: boolean): void => {
    const rest = segments.slice(prefixLength)
    const prefix = `/${segments.slice(0, prefixLength).join('/')}`
    if (rest[0] === base) add(rest.slice(1), known, prefix)
    add(rest, known, prefix)
  }
  for (const container of CONTAINER_ROOTS) {
    const parts = container.split('/').filter((s) => s !== '')
    if (parts.length > segments.length || !parts.every((p, i) => segments[i] === p)) continue
    if (fs.mayExist(top(parts))) continue
    strip(parts.length, true)
  }
  if (!fs.mayExist(top(segments.slice(0, 1)))) {
    if (segments.length > 1) strip(1, false)
    add(segments, false, `/${segments[0]!}`)
  }
  return out
}

function throughCredentials(segments: readonly string[]): boolean {
  return segments.some(
    (s, i) =>
      CREDENTIAL_SEGMENTS.has(s.toLowerCase()) || (s === '.config' && segments[i + 1] === 'gh'),
  )
}

/** Whether the call makes the file (write, or edit with an empty old_string): its folder must exist. */
function createsFile(input: Record<string, unknown>): boolean {
  if (Object.hasOwn(input, 'old_string')) return input.old_string === ''
  return typeof input.content === 'string'
}
