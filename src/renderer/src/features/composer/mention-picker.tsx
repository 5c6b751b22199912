import { useEffect, useRef } from 'react'
import type { JSX } from 'react'

/**
 * The @-mention file list under the caret's mention: a listbox the textarea drives (it keeps the
 * focus and points at the active option with aria-activedescendant). Mouse picks work too.
 */
export function MentionPicker({
  id,
  files,
  active,
  loading,
  error,
  query,
  onPick,
  onHover,
}: {
  id: string
  files: string[]
  active: number
  loading: boolean
  error: string | null
  query: string
  onPick: (path: string) => void
  onHover: (index: number) => void
}): JSX.Element {
  const list = useRef<HTMLUListElement>(null)

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active, files])

  return (
    <div className="composer-popup mention-popup">
      <ul ref={list} role="listbox" id={id} aria-label="Files" className="mention-list">
        {files.map((path, i) => {
          const slash = path.lastIndexOf('/')
          return (
            <li
              key={path}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              aria-label={path}
              title={path}
              className={i === active ? 'popup-option is-active' : 'popup-option'}
              onPointerDown={(e) => e.preventDefault()}
              onPointerEnter={() => onHover(i)}
              onClick={() => onPick(path)}
            >
              <span className="mention-name">{path.slice(slash + 1)}</span>
              {slash > 0 && <span className="mention-dir">{path.slice(0, slash)}</span>}
            </li>
          )
        })}
      </ul>
      {files.length === 0 && (
        <p className="mention-empty" role="status">
          {error
            ? `Could not list files: ${error}`
            : loading
              ? 'Looking for files…'
              : `No file matches “${query}”`}
        </p>
      )}
    </div>
  )
}
