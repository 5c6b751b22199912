import { useId, useState } from 'react'
import type { MentionQuery } from './mention'
import { insertMention, mentionAt } from './mention'
import { useFileMatches } from './use-file-matches'

/** Longest query sent to the host (its limit). */
const MAX_QUERY = 500

export interface MentionState {
  /** The picker is showing. */
  open: boolean
  listId: string
  query: string
  files: string[]
  loading: boolean
  error: string | null
  active: number
  /** The id of the active option, for the textarea's aria-activedescendant. */
  activeId: string | undefined
  setActive(index: number): void
  move(delta: 1 | -1): void
  /** Close the picker for this mention (typing a new `@` opens it again). */
  dismiss(): void
  /** The text with `path` inserted for the mention, and where the caret goes. */
  insert(path: string): { text: string; caret: number } | null
}

/**
 * The @-mention picker's state for a text and caret: which mention is being typed, the host's
 * matches for it, the highlighted one, and whether the user closed it.
 */
export function useMention(
  workspaceId: string,
  text: string,
  caret: number | null,
  focused: boolean,
  /** The session the mention is for: its worktree is searched when it has one. */
  sessionId?: string,
): MentionState {
  const listId = useId()
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [selection, setSelection] = useState<{ query: string; index: number }>({
    query: '',
    index: 0,
  })
  const mention: MentionQuery | null = caret === null ? null : mentionAt(text, caret)
  // Once the caret leaves the mention that was closed, a mention there may open the picker again.
  if (dismissedAt !== null && mention?.start !== dismissedAt) setDismissedAt(null)
  const open = focused && mention !== null && mention.start !== dismissedAt
  const query = open ? mention.query.slice(0, MAX_QUERY) : null
  const matches = useFileMatches(workspaceId, query, sessionId)
  const files = matches?.files ?? []
  const loading = query !== null && matches?.query !== query
  // The highlight starts at the best match for every new query.
  const active =
    selection.query === query ? Math.min(selection.index, Math.max(0, files.length - 1)) : 0

  return {
    open,
    listId,
    query: query ?? '',
    files,
    loading,
    error: matches?.error ?? null,
    active,
    activeId: open && files.length > 0 ? `${listId}-${active}` : undefined,
    setActive: (index) => setSelection({ query: query ?? '', index }),
    move: (delta) => {
      if (files.length === 0) return
      const index = (active + delta + files.length) % files.length
      setSelection({ query: query ?? '', index })
    },
    dismiss: () => {
      if (mention) setDismissedAt(mention.start)
    },
    insert: (path) => (mention ? insertMention(text, mention, path) : null),
  }
}
