import { useEffect, useId, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { DirListing } from '../../../../shared/model'
import { errorMessage } from '../../lib/api/error-message'
import { ArrowUpIcon, HomeIcon } from '../../lib/ui/icons'
import { openWorkspace } from '../commands'
import { FolderList } from './folder-list'
import { useDirListing } from './use-dir-listing'

function notOpenableReason(listing: DirListing): string {
  if (listing.parent === null) {
    return 'The filesystem root cannot be a workspace. Choose a project folder.'
  }
  if (listing.path === listing.home) {
    return 'Your home folder cannot be a workspace itself. Choose a project folder inside it.'
  }
  return 'This folder cannot be opened as a workspace.'
}

/** The body of the Open folder dialog: a folder browser over the host's file system. */
export function FolderBrowser({ onDone }: { onDone: () => void }): JSX.Element {
  const { listing, loading, error, showHidden, navigate, setShowHidden } = useDirListing()
  /**
   * What the user typed in the path field, over which listing; null, or once another listing
   * arrived, the field shows the listed folder's path. A typed path that could not be listed
   * stays, beside the error, to be corrected.
   */
  const [typing, setTyping] = useState<{ text: string; over: DirListing | null } | null>(null)
  const draft = typing && typing.over === listing ? typing.text : null
  const setDraft = (text: string | null): void =>
    setTyping(text === null ? null : { text, over: listing })
  const [filter, setFilter] = useState('')
  const [openError, setOpenError] = useState<string | null>(null)
  const [opening, setOpening] = useState(false)
  const list = useRef<HTMLUListElement>(null)
  const pathInput = useRef<HTMLInputElement>(null)
  /** Set when navigation started from the list, whose buttons the new listing replaces. */
  const focusList = useRef(false)
  const reasonId = useId()

  useEffect(() => {
    if (!focusList.current) return
    focusList.current = false
    const first = list.current?.querySelector<HTMLButtonElement>('button')
    ;(first ?? pathInput.current)?.focus()
  }, [listing])

  const go = (path: string | undefined, fromList = false, keepDraft = false): void => {
    focusList.current = fromList
    if (!keepDraft) setDraft(null)
    setFilter('')
    setOpenError(null)
    navigate(path)
  }

  const typed = draft?.trim() ?? ''
  const target = typed !== '' && typed !== listing?.path ? typed : (listing?.path ?? '')
  const canOpen = target !== '' && (target !== listing?.path || listing.openable)
  const needle = filter.trim().toLowerCase()
  const entries = (listing?.entries ?? []).filter((e) => e.name.toLowerCase().includes(needle))

  const open = (): void => {
    if (!canOpen || opening) return
    setOpening(true)
    setOpenError(null)
    openWorkspace(target).then(
      () => onDone(),
      (err: unknown) => {
        setOpening(false)
        setOpenError(errorMessage(err))
      },
    )
  }

  const onPathKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key !== 'Enter') return
    e.preventDefault()
    if (typed !== '') go(typed, false, true)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'ArrowUp' && e.altKey && listing?.parent) {
      e.preventDefault()
      go(listing.parent, true)
    }
  }

  let footerNote: JSX.Element
  if (openError !== null) {
    footerNote = (
      <p role="alert" className="dialog-error">
        {openError}
      </p>
    )
  } else if (listing && !canOpen && target === listing.path) {
    footerNote = (
      <p id={reasonId} className="dialog-reason">
        {notOpenableReason(listing)}
      </p>
    )
  } else {
    footerNote = (
      <p className="muted dialog-target" title={target}>
        {target}
      </p>
    )
  }

  return (
    <div className="folder-browser" onKeyDown={onKeyDown}>
      <header className="dialog-header">
        <h2>Open folder</h2>
        <p className="muted">Choose a project folder on the Paddock host to work in.</p>
      </header>
      <div className="folder-toolbar">
        <button
          type="button"
          className="icon-btn"
          aria-label="Parent folder"
          title="Parent folder (Alt+↑)"
          disabled={!listing?.parent}
          onClick={() => listing?.parent && go(listing.parent)}
        >
          <ArrowUpIcon />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label="Home"
          title="Home folder"
          onClick={() => go(listing?.home)}
        >
          <HomeIcon />
        </button>
        <input
          ref={pathInput}
          data-initial-focus
          className="text-input path-input"
          aria-label="Folder path"
          spellCheck={false}
          autoComplete="off"
          value={draft ?? listing?.path ?? ''}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onPathKeyDown}
        />
      </div>
      <div className="folder-toolbar">
        <input
          className="text-input filter-input"
          aria-label="Filter folders"
          placeholder="Filter folders"
          spellCheck={false}
          autoComplete="off"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={showHidden}
            onChange={(e) => setShowHidden(e.target.checked)}
          />
          Show hidden
        </label>
      </div>
      {error !== null && (
        <p role="alert" className="dialog-error">
          {error}
        </p>
      )}
      <div className="folder-list-wrap" aria-busy={loading}>
        {listing === null ? (
          <p className="muted folder-list-note">{loading ? 'Loading folders…' : ''}</p>
        ) : entries.length > 0 ? (
          <FolderList
            key={`${listing.path}\n${needle}`}
            entries={entries}
            listRef={list}
            onOpen={(entry) => go(entry.path, true)}
          />
        ) : (
          <p className="muted folder-list-note">
            {needle
              ? 'No folder here matches the filter.'
              : showHidden
                ? 'This folder has no sub-folders.'
                : 'This folder has no sub-folders (hidden ones are not shown).'}
          </p>
        )}
      </div>
      {listing?.truncated && (
        <p className="muted folder-list-note">
          This folder has too many sub-folders to list them all; type a path instead.
        </p>
      )}
      <footer className="dialog-footer">
        <div className="dialog-footer-note">{footerNote}</div>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={!canOpen || opening}
          aria-describedby={listing && !canOpen ? reasonId : undefined}
          onClick={open}
        >
          Open this folder
        </button>
      </footer>
    </div>
  )
}
