import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { isSecretFileName } from '../../core/secret-files'
import { mapLimit } from './concurrency'
import { describeError, errnoCode, isMissing } from './errors'
import type { CheckpointFs, CpStat } from '../git/fs-ops'
import { MODE_EXEC, MODE_LINK } from '../git/git-object'
import type { ObjectStore } from '../git/object-store'
import type { FileRef, TreeChange } from '../git/tree-reader'

const WRITE_CONCURRENCY = 8

export interface RestorePlanInput {
  fs: CheckpointFs
  root: string
  objects: ObjectStore
  /**
   * From what the store captured just now (the undo checkpoint: `old`) to the checkpoint (`new`).
   * Only a file with an `old` side may be deleted.
   */
  changes: TreeChange[]
  /** Restrict to these root-relative paths (a folder covers what is below it). */
  scope: string[] | null
}

export interface RestoreOutcome {
  written: string[]
  deleted: string[]
  skipped: Array<{ path: string; reason: string }>
}

/** The temp file a restore writes beside `name` before renaming it into place. */
function restoreTempName(name: string): string {
  return `.${name.slice(0, 80)}.paddock-${randomBytes(6).toString('hex')}`
}

/** A restore's temp file (left behind only when a restore was killed): never the user's work. */
export function isRestoreTempName(name: string): boolean {
  return /^\..+\.paddock-[0-9a-f]{12}$/.test(name)
}

/** A path the store will never write to: escaping the root or inside a `.git`. */
export function unsafePath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || rel.includes('\0')) return true
  return rel
    .split('/')
    .some((part) => part === '' || part === '.' || part === '..' || part === '.git')
}

function inScope(rel: string, scope: string[] | null): boolean {
  return !scope || scope.some((s) => rel === s || rel.startsWith(`${s}/`))
}

async function lstatOrNull(fs: CheckpointFs, path: string): Promise<CpStat | null> {
  try {
    return await fs.lstat(path)
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
}

/**
 * Make the workspace match the checkpoint, touching only what differs. Deletes a file only if the
 * store captured it (it is in `current`) and the checkpoint lacks it, so an ignored, oversized or
 * never-seen file survives; removes a folder only when that left it empty (rmdir refuses
 * otherwise). Writes go through a temp file in the same folder and a rename, with the mode kept.
 * Never follows a symlink out of place: a link or an uncaptured file standing where a folder must
 * be is reported in `skipped`, not removed.
 */
export async function applyRestore(input: RestorePlanInput): Promise<RestoreOutcome> {
  const { fs, root, scope } = input
  const out: RestoreOutcome = { written: [], deleted: [], skipped: [] }
  const changes: TreeChange[] = []
  for (const c of input.changes) {
    if (!inScope(c.path, scope)) continue
    // A store written before secrets were kept out may hold one: it is never put back or removed.
    if (isSecretFileName(basename(c.path))) {
      out.skipped.push({ path: c.path, reason: 'holds secrets: restores never touch it' })
    } else changes.push(c)
  }

  const toDelete = changes.filter((c) => c.old && !c.new).map((c) => c.path)
  // Deepest first, so folders empty out before we try to remove them.
  toDelete.sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? 1 : -1))
  for (const rel of toDelete) {
    if (unsafePath(rel)) continue
    const abs = join(root, rel)
    try {
      if (await parentProblem(fs, root, rel)) continue
      const st = await lstatOrNull(fs, abs)
      if (st && !st.isDirectory) {
        await fs.unlink(abs)
        out.deleted.push(rel)
      }
    } catch (err) {
      out.skipped.push({ path: rel, reason: `could not delete: ${describeError(err)}` })
      continue
    }
    await removeEmptyParents(fs, root, rel)
  }

  // Files are independent (their folders are created as needed): written a few at a time.
  const toWrite = changes.filter((c) => c.new)
  const results = await mapLimit(
    toWrite,
    WRITE_CONCURRENCY,
    async ({ path: rel, old, new: ref }) => {
      if (unsafePath(rel)) return 'not a safe path inside the workspace'
      try {
        return await writeOne(input, rel, old, ref!)
      } catch (err) {
        return `could not write: ${describeError(err)}`
      }
    },
  )
  toWrite.forEach((c, i) => {
    const reason = results[i]
    if (reason) out.skipped.push({ path: c.path, reason })
    else out.written.push(c.path)
  })
  return out
}

async function removeEmptyParents(fs: CheckpointFs, root: string, rel: string): Promise<void> {
  let dir = dirname(rel)
  while (dir !== '.' && dir !== '') {
    try {
      await fs.rmdir(join(root, dir))
    } catch {
      return // not empty (or not ours to remove): stop
    }
    dir = dirname(dir)
  }
}

/**
 * Every parent must be a real folder (or absent): never write or delete through a symlink, and
 * never replace a file the store did not capture with a folder.
 */
async function parentProblem(fs: CheckpointFs, root: string, rel: string): Promise<string | null> {
  const parts = rel.split('/')
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/')
    const st = await lstatOrNull(fs, join(root, parent))
    if (!st) return null
    if (st.isSymbolicLink) return `"${parent}" is a symlink where the checkpoint has a folder`
    if (!st.isDirectory)
      return `an uncaptured file "${parent}" stands where the checkpoint has a folder`
  }
  return null
}

/** Returns a reason to skip, or null when written. */
async function writeOne(
  input: RestorePlanInput,
  rel: string,
  cur: FileRef | null,
  ref: FileRef,
): Promise<string | null> {
  const { fs, root } = input
  const problem = await parentProblem(fs, root, rel)
  if (problem) return problem
  const abs = join(root, rel)
  await fs.mkdir(dirname(abs))
  const existing = await lstatOrNull(fs, abs)
  if (existing?.isDirectory) {
    return 'a folder holding uncaptured files stands where the checkpoint has a file'
  }
  const exec = ref.mode === MODE_EXEC
  if (
    cur &&
    cur.oid === ref.oid &&
    existing?.isFile &&
    ref.mode !== MODE_LINK &&
    cur.mode !== MODE_LINK
  ) {
    await fs.chmod(abs, permissions(existing.mode, exec))
    return null
  }
  const obj = await input.objects.read(ref.oid)
  const tmp = join(dirname(abs), restoreTempName(basename(abs)))
  try {
    if (ref.mode === MODE_LINK) await fs.symlink(obj.content, tmp)
    else {
      await fs.writeFile(tmp, obj.content, { exclusive: true, mode: exec ? 0o777 : 0o666 })
      // Keep the replaced file's permission bits (a private 0600 file stays private); set x as recorded.
      if (existing?.isFile) await fs.chmod(tmp, permissions(existing.mode, exec))
    }
    await fs.rename(tmp, abs)
  } catch (err) {
    await fs.unlink(tmp).catch(() => undefined)
    if (errnoCode(err) === 'EISDIR') return 'a folder stands where the checkpoint has a file'
    throw err
  }
  return null
}

function permissions(stMode: number, exec: boolean): number {
  const bits = stMode & 0o7777
  // Executable: grant x wherever r is granted (as git does); not executable: drop every x.
  return exec ? bits | ((bits & 0o444) >> 2) : bits & ~0o111
}
