import { useState } from 'react'
import type { JSX, KeyboardEvent, RefObject } from 'react'
import type { DirEntry } from '../../../../shared/model'
import { FolderIcon } from '../../lib/ui/icons'

export interface FolderListProps {
  entries: DirEntry[]
  onOpen: (entry: DirEntry) => void
  /** The list element, so the dialog can move focus into it. */
  listRef: RefObject<HTMLUListElement | null>
}

/**
 * Sub-folders as buttons named by folder name. One tab stop (roving tabindex): arrows, Page keys,
 * Home and End move between them; click or Enter goes into a folder. Key it by folder so a new
 * listing starts at its top.
 */
export function FolderList({ entries, onOpen, listRef }: FolderListProps): JSX.Element {
  const [current, setCurrent] = useState(0)

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const last = entries.length - 1
    const moves: Record<string, number> = {
      ArrowDown: Math.min(last, current + 1),
      ArrowUp: Math.max(0, current - 1),
      PageDown: Math.min(last, current + 10),
      PageUp: Math.max(0, current - 10),
      Home: 0,
      End: last,
    }
    const next = moves[e.key]
    if (next === undefined || next < 0) return
    e.preventDefault()
    setCurrent(next)
    listRef.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus()
  }

  return (
    <ul ref={listRef} className="folder-list" aria-label="Folders" onKeyDown={onKeyDown}>
      {entries.map((entry, i) => (
        <li key={entry.path}>
          <button
            type="button"
            className={entry.hidden ? 'folder-entry is-hidden' : 'folder-entry'}
            tabIndex={i === Math.min(current, entries.length - 1) ? 0 : -1}
            title={entry.path}
            onFocus={() => setCurrent(i)}
            onClick={() => onOpen(entry)}
          >
            <FolderIcon />
            <span>{entry.name}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}
