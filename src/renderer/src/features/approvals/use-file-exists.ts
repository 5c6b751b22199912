import { useEffect, useState } from 'react'
import { getClient } from '../../lib/api/client'
import { workspacePath } from './describe'

/**
 * Whether the file a `write` targets exists already, from the workspace file index (so a card can
 * say "Write new file" or "Overwrite"). null while unknown, when the index is truncated, or when
 * the path lies outside the workspace. The index
 * leaves out what .gitignore hides, so such a file counts as new: the card says "new file" as a
 * hint, and the preview still shows that the whole file is written.
 */
export function useFileExists(
  workspaceId: string | null,
  args: unknown,
  workspaceRoot: string | null,
  /** Look it up now (while the question waits); once known, the answer is kept. */
  enabled: boolean,
  /** The session that asks: its own folder (its worktree, when it has one) is searched. */
  sessionId?: string,
): boolean | null {
  const raw = (args as { path?: unknown } | null)?.path
  const rel = typeof raw === 'string' ? workspacePath(raw, workspaceRoot) : null
  const target = workspaceId && rel && !rel.startsWith('/') && !rel.startsWith('..') ? rel : null
  const [known, setKnown] = useState<{ key: string; exists: boolean | null } | null>(null)
  const key = `${workspaceId ?? ''}\u0000${sessionId ?? ''}\u0000${target ?? ''}`

  useEffect(() => {
    if (!enabled || !workspaceId || !target) return
    let live = true
    getClient()
      .call('workspaces.files', {
        workspaceId,
        ...(sessionId ? { sessionId } : {}),
        query: target,
        limit: 20,
      })
      .then(
        ({ files, truncated }) => {
          const exists = files.includes(target) ? true : truncated ? null : false
          if (live) setKnown({ key, exists })
        },
        // Only a nicer title depends on it: without an answer the card says "Write".
        () => live && setKnown({ key, exists: null }),
      )
    return () => {
      live = false
    }
  }, [enabled, workspaceId, sessionId, target, key])

  return known?.key === key ? known.exists : null
}
