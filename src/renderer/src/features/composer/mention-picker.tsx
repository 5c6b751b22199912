import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import { matchedIndices } from './mention'

/** `text[start, end)` with the characters at `marks` (indices into the whole text) in <mark>. */
function Marked({
  text,
  start,
  end,
  marks,
}: {
  text: string
  start: number
  end: number
  marks: ReadonlySet<number>
}): JSX.Element {
  const parts: JSX.Element[] = []
  let run = ''
  let marked = false
  const flush = (at: number): void => {
    if (run === '') return
    parts.push(marked ? <mark key={at}>{run}</mark> : <span key={at}>{run}</span>)
    run = ''
  }
  for (let i = start; i < end; i++) {
    const m = marks.has(i)
    if (m !== marked) {
      flush(i)
      marked = m
    }
    run += text[i]
  }
  flush(end)
  return <>{parts}</>
}

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
          const marks = new Set(matchedIndices(query, path))
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
              <span className="mention-name">
                <Marked text={path} start={slash + 1} end={path.length} marks={marks} />
              </span>
              {slash > 0 && (
                <span className="mention-dir">
                  <Marked text={path} start={0} end={slash} marks={marks} />
                </span>
              )}
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
