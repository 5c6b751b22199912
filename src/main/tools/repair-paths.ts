import { basename, dirname, join, resolve } from 'node:path'
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
 * - exactly one reading exists in the workspace (for a call that creates the file: its folder).
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
  const fs = ctx.fs ?? nodeRepairFs
  const root = resolve(ctx.workspaceRoot)
  const abs = resolve(given.trim())
  if (isWithin(root, abs) || isWithin(fs.realpath(root), abs)) return input
  const segments = abs.split('/').filter((s) => s !== '')
  if (segments.length === 0 || throughCredentials(segments)) return input
  if (isSecretFileName(segments[segments.length - 1]!)) return input
  if (fs.mayExist(abs)) return input

  const readings = readingsOf(segments, basename(root), fs)
  if (readings.length === 0) return input
  const creates = createsFile(input)
  const fits = readings.filter((r) => {
    const target = join(root, r.rel)
    return creates ? fs.kind(dirname(target)) === 'dir' : fs.kind(target) !== null
  })

  if (fits.length > 1) {
    const listed = fits.map((r) => r.rel).join(' and ')
    const each = fits.length === 2 ? 'both' : 'all'
    throw new RepairRefusal(
      `path: ${given} is outside the workspace, and it could mean ${listed} in the workspace, ` +
        `which ${each} ${creates ? 'have their folder' : 'exist'}. Call again with the ` +
        `workspace-relative path you mean.`,
    )
  }
  const fit = fits[0]
  if (!fit) {
    const meant = readings[0]!.rel
    const why = creates
      ? `its folder ${dirname(meant)} does not exist in the workspace yet; if you meant to ` +
        `create it there, call again with path ${meant}`
      : `that does not exist in the workspace either`
    throw new RepairRefusal(
      `path: ${given} is outside the workspace and does not exist. Paths are relative to the ` +
        `workspace root: you probably meant ${meant}, but ${why}.`,
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

/** The workspace-relative readings of a made-up absolute path, the likeliest first, unique. */
function readingsOf(segments: readonly string[], base: string, fs: RepairFs): Reading[] {
  const out: Reading[] = []
  const add = (rest: readonly string[]): void => {
    const rel = rest.length ? rest.join('/') : '.'
    if (!out.some((r) => r.rel === rel)) out.push({ rel })
  }
  /** Strip a made-up prefix, and the workspace's own name after it when that follows. */
  const strip = (prefixLength: number): void => {
    const rest = segments.slice(prefixLength)
    if (rest[0] === base) add(rest.slice(1))
    add(rest)
  }
  for (const container of CONTAINER_ROOTS) {
    const parts = container.split('/').filter((s) => s !== '')
    if (parts.length > segments.length || !parts.every((p, i) => segments[i] === p)) continue
    if (fs.mayExist(container)) continue
    strip(parts.length)
  }
  if (!fs.mayExist(`/${segments[0]}`)) {
    if (segments.length > 1) strip(1)
    add(segments)
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
