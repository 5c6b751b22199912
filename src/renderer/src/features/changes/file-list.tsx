import { useId } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { DiffFile } from './use-changes'

const STATUS_MARK = { added: 'A', modified: 'M', deleted: 'D', renamed: 'R' } as const

/**
 * A file the list shows: a checkpoint diff's file, or a file against the base branch (which has
 * no +/− counts: those show only where known).
 */
export type ListedFile = Pick<DiffFile, 'path' | 'oldPath' | 'status'> &
  Partial<Pick<DiffFile, 'binary' | 'additions' | 'deletions'>>

/** How a file reads in the list and for screen readers. */
export function fileLabel(f: ListedFile): string {
  return f.status === 'renamed' && f.oldPath ? `${f.oldPath} → ${f.path}` : f.path
}

/**
 * The changed files, one option each with its status and +/− counts. Arrow keys move the
 * selection (Alt+↑/↓ works from anywhere in the panel).
 */
/**
 * Alt+↓ / Alt+↑ anywhere in a changes view: the path of the next or previous file of `files`
 * after `current` (null: not that key, or nowhere to go). The caller selects it.
 */
export function stepWithAltArrows<F extends { path: string }>(
  e: KeyboardEvent,
  files: readonly F[],
  current: F | null,
): string | null {
  if (!e.altKey || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return null
  e.preventDefault()
  const at = current ? files.indexOf(current) : -1
  const next =
    files[e.key === 'ArrowDown' ? Math.min(at + 1, files.length - 1) : Math.max(at - 1, 0)]
  return next?.path ?? null
}

export function FileList({
  files,
  selected,
  onSelect,
}: {
  files: readonly ListedFile[]
  selected: string | null
  onSelect: (path: string) => void
}): JSX.Element {
  // Each list's own option ids: several panes can show a Changes list at once.
  const idBase = useId()
  const at = files.findIndex((f) => f.path === selected)
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.altKey) return
    let next: number
    if (e.key === 'ArrowDown') next = Math.min(at + 1, files.length - 1)
    else if (e.key === 'ArrowUp') next = Math.max(at - 1, 0)
    else return
    e.preventDefault()
    const f = files[next]
    if (f) onSelect(f.path)
  }
  return (
    <ul
      className="changes-files"
      role="listbox"
      aria-label="Changed files"
      tabIndex={0}
      aria-activedescendant={at >= 0 ? `${idBase}-${at}` : undefined}
      onKeyDown={onKeyDown}
    >
      {files.map((f, i) => {
        const slash = f.path.lastIndexOf('/')
        return (
          <li
            key={f.path}
            id={`${idBase}-${i}`}
            role="option"
            aria-selected={f.path === selected}
            aria-label={`${fileLabel(f)}, ${f.status}${counts(f)}`}
            className={`changes-file${f.path === selected ? ' is-selected' : ''}`}
            onClick={() => onSelect(f.path)}
            title={fileLabel(f)}
          >
            <span className={`changes-status status-${f.status}`} aria-hidden="true">
              {STATUS_MARK[f.status]}
            </span>
            <span className="changes-name" aria-hidden="true">
              {f.path.slice(slash + 1)}
              {f.status === 'renamed' && f.oldPath && (
                <span className="changes-dir"> ← {f.oldPath}</span>
              )}
              {slash > 0 && <span className="changes-dir"> {f.path.slice(0, slash)}</span>}
            </span>
            <span className="changes-counts" aria-hidden="true">
              {f.binary ? (
                'bin'
              ) : f.additions === undefined ? null : (
                <>
                  <span className="edit-preview-added">+{f.additions}</span>{' '}
                  <span className="edit-preview-removed">−{f.deletions}</span>
                </>
              )}
            </span>
          </li>
        )
      })}
    </ul>
  )
}

/** The +/− counts as the list reads them out ("", ", binary", ", +3 −1"). */
function counts(f: ListedFile): string {
  if (f.binary) return ', binary'
  if (f.additions === undefined || f.deletions === undefined) return ''
  return `, +${f.additions} −${f.deletions}`
}
