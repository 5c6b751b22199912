import { useEffect, useMemo, useRef, useState } from 'react'
import type { CheckpointSummary, MethodOutput } from '../../../../shared/contract'
import { entryFeed } from '../../app/entry-feed'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { creditedPaths } from './credited'
import { folderMates } from './shared-folder'

/** Entry types after which what changed may differ. */
const RELEVANT = new Set(['checkpoint', 'note', 'tool_result'])

export type DiffFile = MethodOutput<'checkpoints.diff'>['files'][number]

export interface ChangesData {
  checkpoints: CheckpointSummary[]
  base: string | null
  files: DiffFile[]
  /** Paths credited to the session: the files its checkpoints recorded as changed. */
  touched: Set<string>
  /** Which load this is (1, 2, …): a view keyed by it fetches again with every load. */
  generation: number
}

/**
 * The session's checkpoints and the files that differ between `base` (default: the first
 * checkpoint) and the working tree; fetched again when a checkpoint, restore or tool result lands
 * in it or in another session working in the same folder, and when the window caught up with the host after a lost connection (files may have changed
 * meanwhile, on disk or by a host that restarted).
 */
export function useChanges(
  sessionId: string,
  baseChoice: string | null,
  bump: number,
): { data: ChangesData | null; error: string | null } {
  const [state, setState] = useState<{ data: ChangesData | null; error: string | null }>({
    data: null,
    error: null,
  })
  const [version, setVersion] = useState(0)
  const resyncs = useAppStore((s) => s.resyncs)
  const generation = useRef(0)

  // Other sessions in the same folder change its files too: what differs changes with them. A
  // worktree session's folder is its own (and in-place sessions do not see it).
  const sessions = useAppStore((s) => s.host.sessions)
  const watched = useMemo(
    () =>
      [
        sessionId,
        ...folderMates(sessions, sessionId)
          .map((s) => s.id)
          .sort(),
      ].join('\n'),
    [sessions, sessionId],
  )
  useEffect(() => {
    const offs = watched.split('\n').map((id) =>
      entryFeed.subscribe(id, (entries) => {
        if (entries.some((e) => RELEVANT.has(e.type))) setVersion((v) => v + 1)
      }),
    )
    return () => offs.forEach((off) => off())
  }, [watched])

  useEffect(() => {
    const mine = ++generation.current
    const client = getClient()
    const load = async (): Promise<ChangesData> => {
      const checkpoints = await client.call('checkpoints.list', { sessionId })
      const base =
        (baseChoice && checkpoints.some((c) => c.id === baseChoice) ? baseChoice : null) ??
        checkpoints[0]?.id ??
        null
      const touched = creditedPaths(checkpoints)
      if (!base) return { checkpoints, base, files: [], touched, generation: mine }
      const diff = await client.call('checkpoints.diff', { sessionId, from: base })
      return { checkpoints, base, files: diff.files, touched, generation: mine }
    }
    load().then(
      (data) => mine === generation.current && setState({ data, error: null }),
      (err: unknown) =>
        mine === generation.current &&
        setState((s) => ({ data: s.data, error: errorMessage(err) })),
    )
    // `watched`: a session new to the workspace may have appended in the very batch of events
    // that announced it, before its feed was listened to; loading again catches what it did.
  }, [sessionId, baseChoice, version, bump, resyncs, watched])

  return state
}

export interface FileSides {
  original: string
  modified: string
  binary: boolean
  tooLarge: boolean
}

/**
 * What one file's diff says, short: its base, path, status and a hash of its patch, so an open
 * diff loads its sides again exactly when the file changed (the same +/− counts are not enough:
 * the same line edited twice has them). A file without a patch (binary, or left out of a large
 * answer) takes `generation`, the list's load, and is fetched again with every load.
 */
export function diffKey(base: string, file: DiffFile, generation: number): string {
  const content = file.patch === null ? `load ${generation}` : hashText(file.patch)
  return `${base}:${file.status}:${file.oldPath ?? ''}:${file.path}:${content}`
}

/** FNV-1a over UTF-16 code units, as 8 hex digits: enough to tell two versions of a patch apart. */
function hashText(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return `${(h >>> 0).toString(16).padStart(8, '0')}:${text.length}`
}

/** Both sides of one file: as it was at `base`, and as it is now in the working tree. */
export async function loadSides(
  sessionId: string,
  workspaceId: string,
  base: string,
  file: DiffFile,
): Promise<FileSides> {
  const client = getClient()
  const [before, now] = await Promise.all([
    file.status === 'added'
      ? null
      : client.call('checkpoints.file', {
          sessionId,
          checkpointId: base,
          path: file.oldPath ?? file.path,
        }),
    file.status === 'deleted'
      ? null
      : // The session's own folder: its worktree, when it has one.
        client.call('workspaces.readFile', { workspaceId, sessionId, path: file.path }),
  ])
  return {
    original: before?.content ?? '',
    modified: now?.content ?? '',
    binary: file.binary || before?.binary === true || now?.binary === true,
    tooLarge: before?.tooLarge === true || now?.tooLarge === true,
  }
}
