import { useEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import { ArrowUpIcon, CloseIcon } from '../../lib/ui/icons'
import { findInstance } from './registry'
import type { SearchResults } from './search-text'
import { resultsText } from './search-text'

/**
 * Find in a terminal's scrollback (Ctrl/Cmd+F in the terminal): Enter finds the next match,
 * Shift+Enter the previous, Escape closes and returns to the terminal.
 */
export function SearchBox({
  terminalId,
  onClose,
}: {
  terminalId: string
  onClose: () => void
}): JSX.Element {
  const [text, setText] = useState('')
  const [results, setResults] = useState<SearchResults | null>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
    return findInstance(terminalId)?.onSearchResults(setResults)
  }, [terminalId])

  const find = (value: string, previous = false, incremental = false): void => {
    const instance = findInstance(terminalId)
    if (!instance) return
    if (value === '') {
      instance.clearSearch()
      setResults(null)
      return
    }
    if (previous) instance.findPrevious(value)
    else instance.findNext(value, { incremental })
  }

  const close = (): void => {
    const instance = findInstance(terminalId)
    instance?.clearSearch()
    onClose()
    instance?.focus()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      e.preventDefault()
      find(text, e.shiftKey)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close()
    }
  }

  return (
    <div role="search" aria-label="Find in terminal" className="terminal-search">
      <input
        ref={input}
        type="text"
        className="text-input terminal-search-input"
        aria-label="Find in terminal"
        placeholder="Find"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          find(e.target.value, false, true)
        }}
        onKeyDown={onKeyDown}
      />
      <span className="terminal-search-count" aria-live="polite">
        {resultsText(text, results)}
      </span>
      <button
        type="button"
        className="icon-btn"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        disabled={text === ''}
        onClick={() => find(text, true)}
      >
        <ArrowUpIcon />
      </button>
      <button
        type="button"
        className="icon-btn terminal-search-next"
        aria-label="Next match"
        title="Next match (Enter)"
        disabled={text === ''}
        onClick={() => find(text)}
      >
        <ArrowUpIcon />
      </button>
      <button
        type="button"
        className="icon-btn"
        aria-label="Close search"
        title="Close (Escape)"
        onClick={close}
      >
        <CloseIcon />
      </button>
    </div>
  )
}
