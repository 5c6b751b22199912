import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import type { SlashItem } from './slash'

/**
 * The list under a `/` typed at the start of the message: the composer's commands and the
 * skills, a listbox the textarea drives (aria-activedescendant), mouse picks too.
 */
export function SlashPicker({
  id,
  items,
  active,
  error,
  query,
  onPick,
  onHover,
}: {
  id: string
  items: SlashItem[]
  active: number
  error: string | null
  query: string
  onPick: (name: string) => void
  onHover: (index: number) => void
}): JSX.Element {
  const list = useRef<HTMLUListElement>(null)
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [active, items])
  return (
    <div className="composer-popup mention-popup slash-popup">
      <ul
        ref={list}
        role="listbox"
        id={id}
        aria-label="Commands and skills"
        className="mention-list"
      >
        {items.map((item, i) => (
          <li
            key={item.name}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === active}
            aria-label={`/${item.name}`}
            title={item.description}
            className={i === active ? 'popup-option is-active' : 'popup-option'}
            onPointerDown={(e) => e.preventDefault()}
            onPointerEnter={() => onHover(i)}
            onClick={() => onPick(item.name)}
          >
            <span className="mention-name">/{item.name}</span>
            <span className="slash-kind">{item.kind === 'skill' ? 'skill' : 'command'}</span>
            <span className="popup-option-description">{item.description}</span>
          </li>
        ))}
      </ul>
      {items.length === 0 && (
        <p className="mention-empty" role="status">
          {error ? `Could not list skills: ${error}` : `No command or skill matches “/${query}”`}
        </p>
      )}
    </div>
  )
}
