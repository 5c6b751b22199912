import { useEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { ChatIcon, PencilIcon, TrashIcon } from '../../lib/ui/icons'
import { deleteSession, renameSession } from '../commands'
import { useAppStore } from '../store'
import { badgeDescriptionId, SessionBadge, useSessionBadge } from '../tabs/tab-strip'
import { InlineConfirm } from './inline-confirm'
import { RenameInput } from './rename-input'

/** One session in the sidebar: opens its tab; renames in place (F2, double-click); deletes. */
export function SessionItem({ session }: { session: Session }): JSX.Element {
  const active = useAppStore((s) => s.activeTab === session.id)
  const open = useAppStore((s) => s.openTabs.includes(session.id))
  const renaming = useAppStore((s) => s.renamingSessionId === session.id)
  const openTab = useAppStore((s) => s.openTab)
  const startRename = useAppStore((s) => s.startRename)
  const stopRename = useAppStore((s) => s.stopRename)
  const [confirming, setConfirming] = useState(false)
  const badge = useSessionBadge(session.id)
  const descriptionId = badgeDescriptionId('sidebar', session.id)
  const button = useRef<HTMLButtonElement>(null)
  const deleteButton = useRef<HTMLButtonElement>(null)
  /** Which button gets focus back when the field or the confirmation goes away. */
  const refocus = useRef<'session' | 'delete' | null>(null)

  useEffect(() => {
    if (renaming || confirming || !refocus.current) return
    const target = refocus.current === 'delete' ? deleteButton.current : button.current
    refocus.current = null
    target?.focus()
  }, [renaming, confirming])

  const onDone = (title: string | null, viaKeyboard: boolean): void => {
    if (viaKeyboard) refocus.current = 'session'
    stopRename()
    const trimmed = title?.trim()
    if (trimmed && trimmed !== session.title) void renameSession(session.id, trimmed)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>): void => {
    if (e.key === 'F2') {
      e.preventDefault()
      startRename(session.id)
    } else if (e.key === 'Delete') {
      e.preventDefault()
      setConfirming(true)
    }
  }

  const cancelDelete = (): void => {
    refocus.current = 'delete'
    setConfirming(false)
  }

  const classes = ['session-item', active && 'is-active', open && 'is-open'].filter(Boolean)
  return (
    <li className={classes.join(' ')}>
      {renaming ? (
        <div className="session-row">
          <ChatIcon />
          <RenameInput initial={session.title} onDone={onDone} />
        </div>
      ) : (
        <div className="session-row">
          <button
            ref={button}
            type="button"
            className="session-button"
            aria-current={active ? 'true' : undefined}
            aria-describedby={badge ? descriptionId : undefined}
            onClick={() => openTab(session.id)}
            onDoubleClick={() => startRename(session.id)}
            onKeyDown={onKeyDown}
          >
            <ChatIcon />
            <span className="session-title">{session.title}</span>
            <SessionBadge state={badge} descriptionId={descriptionId} />
          </button>
          <span className="row-actions">
            <button
              type="button"
              className="icon-btn"
              aria-label={`Rename ${session.title}`}
              title="Rename (F2)"
              onClick={() => startRename(session.id)}
            >
              <PencilIcon />
            </button>
            <button
              ref={deleteButton}
              type="button"
              className="icon-btn"
              aria-label={`Delete ${session.title}`}
              title="Delete (Del)"
              onClick={() => setConfirming(true)}
            >
              <TrashIcon />
            </button>
          </span>
        </div>
      )}
      {confirming && (
        <InlineConfirm
          message={`Delete “${session.title}”? Its conversation is removed for good.`}
          confirmLabel="Delete"
          onConfirm={() => {
            setConfirming(false)
            void deleteSession(session.id)
          }}
          onCancel={cancelDelete}
        />
      )}
    </li>
  )
}
