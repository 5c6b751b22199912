import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { ATTACHMENT_MAX_BYTES, ATTACHMENTS_FOLDER } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import { errnoCode } from '../tools/fs-errors'
import { resolveToolPath } from '../tools/paths'
import type { FsOps } from '../tools/types'

export interface AttachmentDeps {
  /** The folder of a session's workspace (throws `not_found`). */
  sessionWorkspaceRoot: (sessionId: string) => string
  /** The filesystem, through the same operations the agent's tools use. */
  fs: FsOps
  /** The clock, in ms since the epoch (the file's name carries the time). */
  now: () => number
}

/**
 * The attachments folder ignores everything in it, itself included: what was attached is the
 * user's message, not a change to the project, so neither git nor checkpoints pick it up.
 */
const IGNORE_FILE = '# Text attached from the Paddock composer: not part of the project.\n*\n'

/** `<yyyymmdd>-<hhmmss>-<6 hex>.md`, in UTC. */
function attachmentName(ms: number): string {
  const iso = new Date(ms).toISOString()
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`
  return `${stamp}-${randomBytes(3).toString('hex')}.md`
}

/** `sessions.attachText`: long text into a file of the session's workspace, to be mentioned. */
export function attachmentHandlers(deps: AttachmentDeps): Pick<Handlers, 'sessions.attachText'> {
  return {
    'sessions.attachText': async ({ sessionId, text, to }) => {
      const root = deps.sessionWorkspaceRoot(sessionId)
      const folder = await deps.fs.stat(root).then(
        (s) => s.isDirectory,
        () => false,
      )
      if (!folder) {
        throw new ContractError('invalid_workspace', `The workspace folder ${root} is gone.`)
      }
      const path = to ?? `${ATTACHMENTS_FOLDER}/${attachmentName(deps.now())}`
      // The agent's own rules: inside the workspace once symlinks are resolved.
      const target = await resolveToolPath({ workspaceRoot: root, fs: deps.fs }, path, {
        write: true,
      })
      if (!target.ok) throw new ContractError('invalid_params', target.message)
      const { real, exists } = target.path
      let before: Buffer = Buffer.alloc(0)
      if (to !== undefined) {
        if (!exists) throw new ContractError('not_found', `There is no attachment ${to}.`)
        before = await deps.fs.readFile(real)
      } else if (exists) {
        throw new ContractError('io_error', `${path} exists already; try again.`)
      }
      const added = Buffer.from(text, 'utf8')
      const bytes = before.length + added.length
      if (bytes > ATTACHMENT_MAX_BYTES) {
        throw new ContractError(
          'payload_too_large',
          'The attachment would be larger than 10 MB; attach less text, or put it in a file of the workspace yourself.',
        )
      }
      await deps.fs.mkdir(dirname(real))
      await ensureIgnoreFile(deps.fs, dirname(real))
      await deps.fs.writeFileAtomic(real, Buffer.concat([before, added]))
      return { path, bytes }
    },
  }
}

async function ensureIgnoreFile(fs: FsOps, folder: string): Promise<void> {
  const file = join(folder, '.gitignore')
  try {
    await fs.lstat(file)
    return
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err
  }
  await fs.writeFileAtomic(file, IGNORE_FILE)
}
