import { useEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'

export interface RenameInputProps {
  initial: string
  /** The new title, or null when cancelled; `viaKeyboard` when Enter or Esc ended the edit. */
  onDone: (title: string | null, viaKeyboard: boolean) => void
}

/** Matches the contract's limit on titles. */
const MAX_TITLE = 200

/** Edits a session title in place: Enter or leaving the field saves, Esc cancels. */
export function RenameInput({ initial, onDone }: RenameInputProps): JSX.Element {
  const [value, setValue] = useState(initial)
  const input = useRef<HTMLInputElement>(null)
  // Enter/Esc end the edit and unmount the field, which may also blur it: finish only once.
  const finished = useRef(false)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])

  const finish = (title: string | null, viaKeyboard: boolean): void => {
    if (finished.current) return
    finished.current = true
    onDone(title, viaKeyboard)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault()
      finish(value, true)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      finish(null, true)
    }
  }

  return (
    <input
      ref={input}
      className="rename-input"
      aria-label="Session title"
      value={value}
      maxLength={MAX_TITLE}
      spellCheck={false}
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => finish(value, false)}
    />
  )
}
