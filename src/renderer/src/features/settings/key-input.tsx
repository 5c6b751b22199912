import { useState } from 'react'
import type { JSX, RefObject } from 'react'
import { EyeIcon, EyeOffIcon } from '../../lib/ui/icons'

/**
 * An API key's field: a password input, uncontrolled (the key is never in React state or the
 * DOM's attributes; the owner reads it through `inputRef` when it sends it), with a button that
 * shows or hides what was typed.
 */
export function KeyInput({
  id,
  inputRef,
  describedBy,
  invalid,
  placeholder,
  onInput,
}: {
  id: string
  inputRef: RefObject<HTMLInputElement | null>
  describedBy: string | undefined
  invalid?: boolean
  placeholder?: string
  onInput: () => void
}): JSX.Element {
  const [shown, setShown] = useState(false)
  return (
    <div className="settings-secret">
      <input
        ref={inputRef}
        id={id}
        className="text-input settings-mono"
        type={shown ? 'text' : 'password'}
        defaultValue=""
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onInput={onInput}
      />
      <button
        type="button"
        className="icon-btn"
        aria-label="Show key"
        aria-pressed={shown}
        title={shown ? 'Hide the key' : 'Show the key'}
        onClick={() => setShown((v) => !v)}
      >
        {shown ? <EyeOffIcon /> : <EyeIcon />}
      </button>
    </div>
  )
}
