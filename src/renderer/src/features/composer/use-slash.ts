import { useEffect, useId, useState } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { SlashItem } from './slash'
import { SLASH_COMMANDS, insertSlash, matchSlash, slashQueryAt } from './slash'

export interface SlashState {
  open: boolean
  listId: string
  query: string
  items: SlashItem[]
  error: string | null
  active: number
  activeId: string | undefined
  setActive(index: number): void
  move(delta: 1 | -1): void
  dismiss(): void
  /** The text with the picked item's `/name ` in place of the first word. */
  insert(name: string): { text: string; caret: number }
}

/**
 * The slash picker's state: open while the caret is in a first word starting with `/`, listing
 * the composer's commands and the workspace's skills (read from the host each time it opens).
 */
export function useSlash(
  workspaceId: string,
  text: string,
  caret: number | null,
  focused: boolean,
): SlashState {
  const listId = useId()
  const query = caret === null ? null : slashQueryAt(text, caret)
  const [dismissed, setDismissed] = useState(false)
  const [skills, setSkills] = useState<SlashItem[]>([])
  const [error, setError] = useState<string | null>(null)
  const [selection, setSelection] = useState({ query: '', index: 0 })
  // Typing a new `/` word after closing the picker opens it again.
  if (dismissed && query === null) setDismissed(false)
  const open = focused && query !== null && !dismissed
  useEffect(() => {
    if (!open) return
    let live = true
    getClient()
      .call('skills.list', { workspaceId })
      .then(
        (list) => {
          if (!live) return
          setSkills(
            list.skills.map((s) => ({
              name: s.name,
              description: s.description,
              kind: 'skill' as const,
              hidden: s.hiddenFromModel,
            })),
          )
          setError(null)
        },
        (err: unknown) => live && setError(errorMessage(err)),
      )
    return () => {
      live = false
    }
  }, [open, workspaceId])
  const commands = new Set(SLASH_COMMANDS.map((c) => c.name))
  const all = [...SLASH_COMMANDS, ...skills.filter((s) => !commands.has(s.name))]
  const items = open ? matchSlash(all, query) : []
  const active =
    selection.query === query ? Math.min(selection.index, Math.max(0, items.length - 1)) : 0
  return {
    open,
    listId,
    query: query ?? '',
    items,
    error,
    active,
    activeId: open && items.length > 0 ? `${listId}-${active}` : undefined,
    setActive: (index) => setSelection({ query: query ?? '', index }),
    move: (delta) => {
      if (items.length === 0) return
      setSelection({ query: query ?? '', index: (active + delta + items.length) % items.length })
    },
    dismiss: () => setDismissed(true),
    insert: (name) => insertSlash(text, name),
  }
}
