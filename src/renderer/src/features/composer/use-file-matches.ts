import { useEffect, useRef, useState } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

/** Most files the @-mention picker lists. */
export const MENTION_LIMIT = 20

export interface FileMatches {
  /** The query these files answer (the picker shows the latest answer while the next loads). */
  query: string
  files: string[]
  error: string | null
}

/**
 * Workspace files matching `query` (ranked by the host), for the @-mention picker. One request per
 * query change; an answer to an older query that arrives late is ignored. Null `query`: closed.
 * With `sessionId`, the session's own folder is searched (its worktree, when it has one).
 */
export function useFileMatches(
  workspaceId: string,
  query: string | null,
  sessionId?: string,
): FileMatches | null {
  const [matches, setMatches] = useState<FileMatches | null>(null)
  const latest = useRef<string | null>(null)

  useEffect(() => {
    latest.current = query
    if (query === null) return
    getClient()
      .call('workspaces.files', {
        workspaceId,
        ...(sessionId ? { sessionId } : {}),
        query,
        limit: MENTION_LIMIT,
      })
      .then(
        (r) => latest.current === query && setMatches({ query, files: r.files, error: null }),
        (err: unknown) =>
          latest.current === query && setMatches({ query, files: [], error: errorMessage(err) }),
      )
  }, [workspaceId, sessionId, query])

  return query === null ? null : matches
}
