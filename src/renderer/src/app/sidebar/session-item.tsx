import { useEffect, useRef } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type { Session } from '../../../../shared/model'
import { ChatIcon, PencilIcon, SplitIcon, TrashIcon } from '../../lib/ui/icons'
import { renameSession } from '../commands'
import { useAppStore } from '../store'
import { badgeDescriptionId, SessionBadge, useSessionBadge } from '../tabs/tab-strip'
import {
  describedBy,
  overlapDescriptionId,
  useOverlapText,
  WorktreeMarks,
} from '../tabs/worktree-marks'
import { DeleteRefusalDialog } from './delete-refusal-dialog'
import { InlineConfirm } from './inline-confirm'
import { useDeleteFlow } from './use-delete-flow'
import { RenameInput } from './rename-input'

/**
 * One session in the sidebar: opens its tab (Alt+click or its split button: beside the focused
 * pane); renames in place (F2, double-click); deletes.
 */
export function SessionItem({ session }: { session: Session }): JSX.Element {
  const active = useAppStore((s) => s.activeTab === session.id)
  const open = useAppStore((s) => s.openTabs.includes(session.id))
  const renaming = useAppStore((s) => s.renamingSessionId === session.id)
  const openTab = useAppStore((s) => s.openTab)
  const openToSide = useAppStore((s) => s.openToSide)
  const anyPane = useAppStore((s) => s.layout.panes.length > 0)
  const startRename = useAppStore((s) => s.startRename)
  const stopRename = useAppStore((s) => s.stopRename)
  const flow = useDeleteFlow(session)
  const confirming = flow.step.kind === 'confirm' || flow.step.kind === 'refuse'
  const overlap = useOverlapText(session.id) !== null
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
      flow.start()
    }
  }

  const cancelDelete = (): void => {
    refocus.current = 'delete'
    flow.cancel()
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
            aria-describedby={describedBy([
              badge !== null && descriptionId,
              overlap && overlapDescriptionId('sidebar', session.id),
            ])}
            onClick={(e) => (e.altKey ? openToSide(session.id) : openTab(session.id))}
            onDoubleClick={() => startRename(session.id)}
            onKeyDown={onKeyDown}
          >
            <ChatIcon />
            <span className="session-title">{session.title}</span>
            <WorktreeMarks session={session} where="sidebar" />
            <SessionBadge state={badge} descriptionId={descriptionId} />
          </button>
          <span className="row-actions">
            {anyPane && (
              <button
                type="button"
                className="icon-btn"
                aria-label={`Open ${session.title} to the side`}
                title="Open to the side (Alt+click)"
                onClick={() => openToSide(session.id)}
              >
                <SplitIcon />
              </button>
            )}
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
              disabled={flow.step.kind === 'checking'}
              onClick={flow.start}
            >
              <TrashIcon />
            </button>
          </span>
        </div>
      )}
      {flow.step.kind === 'confirm' && (
        <InlineConfirm
          message={
            session.worktree
              ? `Delete “${session.title}”? Its worktree is removed (restorable for 30 days from Settings → Worktrees).`
              : `Delete “${session.title}”? Its conversation is removed for good.`
          }
          confirmLabel="Delete"
          onConfirm={flow.confirm}
          onCancel={cancelDelete}
        />
      )}
      {flow.step.kind === 'refuse' && (
        <DeleteRefusalDialog
          title={session.title}
          losses={flow.step.losses}
          onDelete={flow.confirm}
          onClose={cancelDelete}
        />
      )}
    </li>
  )
}
