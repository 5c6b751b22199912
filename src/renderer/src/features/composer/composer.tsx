import { useCallback, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import { PROMPT_MAX_CHARS } from '../../../../shared/contract'
import type { Session } from '../../../../shared/model'
import type { QueuedMessage } from '../../app/live-slice'
import { useAppStore } from '../../app/store'
import '../../styles/composer.css'
import { FolderGoneComposer } from '../git/folder-gone'
import { APPROVAL_KEYS_HINT, pressApprovalKey } from '../approvals/approval-keys'
import { compactSession, parseCompactCommand, useCompactStore } from '../context/compact-store'
import { SwitchWarning } from '../context/switch-warning'
import type { FitState } from '../context/use-context-fit'
import { draftOf, historyOf, modeOf, useComposerStore } from './composer-store'
import type { HistoryCursor } from './history'
import { IDLE_CURSOR, onFirstLine, onLastLine, step } from './history'
import { keyAction } from './keys'
import { MentionPicker } from './mention-picker'
import { ModePicker } from './mode-picker'
import { ModelPicker } from './model-picker'
import { OversizeNotice } from './oversize-notice'
import { formatCount, promptSize } from './prompt-size'
import { QueuedChips } from './queued-chips'
import { RunControls } from './run-controls'
import { SlashPicker } from './slash-picker'
import { runStatusText } from './run-status'
import { useComposerActions } from './use-composer-actions'
import { useMention } from './use-mention'
import { useModels } from './use-models'
import { useNow } from './use-now'
import { useSessionStatus } from './use-session-status'
import { useSlash } from './use-slash'

const NO_QUEUE: readonly QueuedMessage[] = []
const MOD =
  typeof navigator !== 'undefined' && /Mac|iP(hone|ad)/.test(navigator.platform) ? '⌘' : 'Ctrl'

export interface ComposerProps {
  session: Session
  /** The session against the model picked in the Model picker (what a switch would do). */
  fit: FitState
}

/**
 * Where the user writes to the agent: the message box (@ mentions files, Up/Down recall earlier
 * prompts, `/compact [focus]` compacts the conversation instead of sending a prompt, `/skill-name`
 * loads that skill into the prompt; a `/` at the start lists both), the model
 * and mode pickers with the warning a model too small for the session earns, and Send — or,
 * while the agent runs, Steer, Queue and Stop. Each session has its own draft, history and mode;
 * a tab switch keeps them.
 */
export function Composer({ session, fit }: ComposerProps): JSX.Element {
  // A worktree session whose folder is gone cannot run: the box is off and says why.
  if (session.worktree?.missing) return <FolderGoneComposer path={session.worktree.path} />
  // Keyed by session: local state (caret, errors, an open picker) never leaks into another tab.
  return <ComposerBody key={session.id} session={session} fit={fit} />
}

function ComposerBody({ session, fit }: ComposerProps): JSX.Element {
  const sessionId = session.id
  const running = useAppStore((s) => s.live[sessionId]?.running ?? false)
  const turn = useAppStore((s) => s.live[sessionId]?.turn ?? null)
  const queued = useAppStore((s) => s.live[sessionId]?.queued ?? NO_QUEUE)
  /** The newest approval question waiting for the user, if any. */
  const waiting = useAppStore((s) => s.live[sessionId]?.pendingApprovals.at(-1) ?? null)
  const text = useComposerStore(draftOf(sessionId))
  const mode = useComposerStore(modeOf(sessionId))
  const picked = useComposerStore((s) => s.models[sessionId] ?? null)
  const { setDraft, setMode, setModel, addHistory, clearSent } = useComposerStore.getState()
  const { status } = useSessionStatus(sessionId)
  const models = useModels()
  const compactAsked = useCompactStore((s) => s.pending[sessionId] === true)
  const compactError = useCompactStore((s) => s.errors[sessionId] ?? null)

  const textarea = useRef<HTMLTextAreaElement>(null)
  const [caret, setCaret] = useState<number | null>(null)
  const [focused, setFocused] = useState(false)
  const cursor = useRef<HistoryCursor>(IDLE_CURSOR)
  /** Where to put the caret once React has written a text we set from code. */
  const pendingCaret = useRef<number | null>(null)
  const [confirmSpend, setConfirmSpend] = useState(false)
  const hintId = useId()

  const sessionModel = status?.model ?? null
  const modelValue = picked ?? sessionModel ?? models.list?.defaultModel ?? null
  const onSent = useCallback(
    (sent: string) => {
      addHistory(sessionId, sent)
      cursor.current = IDLE_CURSOR
      setConfirmSpend(false)
      // Keep anything typed while the call was on its way.
      clearSent(sessionId, sent)
    },
    [addHistory, sessionId, clearSent],
  )
  const actions = useComposerActions({
    sessionId,
    mode,
    model: picked !== null && picked !== sessionModel ? picked : null,
    onSent,
  })
  const mention = useMention(session.workspaceId, text, caret, focused, session.id)
  const slash = useSlash(session.workspaceId, text, caret, focused)
  const size = useMemo(() => promptSize(text), [text])
  const now = useNow(turn?.state === 'retrying')

  // The box grows with its text up to a cap (CSS max-height), then scrolls.
  useLayoutEffect(() => {
    const el = textarea.current
    if (!el) return
    el.style.height = 'auto'
    el.style.height = `${el.scrollHeight + 2}px`
    if (pendingCaret.current !== null) {
      el.setSelectionRange(pendingCaret.current, pendingCaret.current)
      setCaret(pendingCaret.current)
      pendingCaret.current = null
    }
  }, [text])

  const setText = (next: string, caretAt?: number): void => {
    if (caretAt !== undefined) pendingCaret.current = caretAt
    setDraft(sessionId, next)
  }

  const pickFile = (path: string): void => {
    const inserted = mention.insert(path)
    if (inserted) setText(inserted.text, inserted.caret)
    textarea.current?.focus()
  }

  const pickSlash = (name: string): void => {
    const inserted = slash.insert(name)
    setText(inserted.text, inserted.caret)
    textarea.current?.focus()
  }

  const recall = (direction: 'older' | 'newer'): boolean => {
    const moved = step(historyOf(sessionId), cursor.current, direction, text)
    if (!moved) return false
    cursor.current = moved.cursor
    setText(moved.text, moved.text.length)
    return true
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    const plain = !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey
    // An empty box hands the approval keys (y, a, n, s) to the question waiting; once something
    // is typed, every letter is the message's. A capital starts a sentence: it is typed.
    const bare = plain && !e.repeat && !e.nativeEvent.isComposing
    if (bare && text === '' && waiting !== null && pressApprovalKey(waiting, e.key)) {
      e.preventDefault()
      return
    }
    if (slash.open) {
      if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        slash.dismiss()
        return
      }
      if (plain && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && slash.items.length > 0) {
        e.preventDefault()
        slash.move(e.key === 'ArrowDown' ? 1 : -1)
        return
      }
      const item = slash.items[slash.active]
      if (plain && (e.key === 'Enter' || e.key === 'Tab') && item !== undefined) {
        e.preventDefault()
        pickSlash(item.name)
        return
      }
    }
    if (mention.open) {
      if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        mention.dismiss()
        return
      }
      if (plain && (e.key === 'ArrowDown' || e.key === 'ArrowUp') && mention.files.length > 0) {
        e.preventDefault()
        mention.move(e.key === 'ArrowDown' ? 1 : -1)
        return
      }
      const file = mention.files[mention.active]
      if (plain && (e.key === 'Enter' || e.key === 'Tab') && file !== undefined) {
        e.preventDefault()
        pickFile(file)
        return
      }
    }
    const action = keyAction(e, running)
    if (action) {
      e.preventDefault()
      if (action === 'stop') e.stopPropagation()
      act(action)
      return
    }
    const el = e.currentTarget
    const collapsed = el.selectionStart === el.selectionEnd
    if (plain && collapsed && e.key === 'ArrowUp' && onFirstLine(text, el.selectionStart)) {
      if (recall('older')) e.preventDefault()
    } else if (plain && collapsed && e.key === 'ArrowDown' && onLastLine(text, el.selectionEnd)) {
      if (recall('newer')) e.preventDefault()
    }
  }

  const act = (action: 'send' | 'steer' | 'queue' | 'stop'): void => {
    // `/compact [focus]` is a command, not a message: whatever key sent it, it compacts (the host
    // refuses while the agent runs, and the error says so).
    const focus = action === 'stop' ? null : parseCompactCommand(text)
    if (focus !== null) {
      const sent = text
      void compactSession(sessionId, focus).then((ok) => ok && onSent(sent))
      return
    }
    // Too big: the notice under the box says so and offers the file instead.
    if (action !== 'stop' && size.over !== null) return
    if (action === 'send') actions.send(text)
    else if (action === 'steer') actions.steer(text)
    else if (action === 'queue') actions.queue(text)
    else actions.stop()
  }

  const onContinue = (): void => {
    if (status?.lastStop?.reason === 'spend_cap') setConfirmSpend(true)
    else actions.continueRun(false)
  }

  // Asked for and not started yet (the host says `compacting` once the summariser is called).
  const compacting = compactAsked && !running
  const statusText = compacting
    ? 'Compacting the conversation…'
    : runStatusText(turn, running, running ? null : (status?.lastStop ?? null), now)
  const isCommand = parseCompactCommand(text) !== null
  const hint =
    waiting !== null && text === ''
      ? APPROVAL_KEYS_HINT
      : isCommand
        ? `${MOD}+Enter compacts the conversation: its older part becomes a summary (after /compact, say what to focus on)`
        : running
          ? `${MOD}+Enter steers · Alt+Enter queues for after the answer · Esc stops`
          : `${MOD}+Enter sends · @ mentions a file · ↑ recalls earlier prompts`

  return (
    <div
      className="composer"
      role="group"
      aria-label="Composer"
      onKeyDown={(e) => {
        // Esc anywhere in the composer (a picker, a button) stops a run, unless a popup took it.
        if (e.key === 'Escape' && running && !e.defaultPrevented) {
          e.preventDefault()
          actions.stop()
        }
      }}
    >
      <QueuedChips queued={queued} />
      {/* The spend-cap question is about the run that stopped there; a new run makes it moot. */}
      {confirmSpend && !running && status?.lastStop?.reason === 'spend_cap' && (
        <div role="alertdialog" aria-label="Spend cap" className="composer-confirm">
          <p>
            This run stopped at the spend cap
            {status.lastStop.message ? `: ${status.lastStop.message}` : '.'} Continue and allow
            another cap&apos;s worth of spending?
          </p>
          <div className="composer-confirm-actions">
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setConfirmSpend(false)
                actions.continueRun(true)
              }}
            >
              Continue past the cap
            </button>
            <button type="button" className="btn" onClick={() => setConfirmSpend(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <div className="composer-input">
        {slash.open && (
          <SlashPicker
            id={slash.listId}
            items={slash.items}
            active={slash.active}
            error={slash.error}
            query={slash.query}
            onPick={pickSlash}
            onHover={slash.setActive}
          />
        )}
        {mention.open && (
          <MentionPicker
            id={mention.listId}
            files={mention.files}
            active={mention.active}
            loading={mention.loading}
            error={mention.error}
            query={mention.query}
            onPick={pickFile}
            onHover={mention.setActive}
          />
        )}
        <textarea
          ref={textarea}
          className="composer-textarea"
          aria-label="Message"
          aria-describedby={hintId}
          aria-autocomplete="list"
          aria-controls={mention.open ? mention.listId : slash.open ? slash.listId : undefined}
          aria-activedescendant={mention.activeId ?? slash.activeId}
          // Empty, the box hands the approval keys to the waiting question (approval-keys.ts).
          data-approval-keys="when-empty"
          placeholder={running ? 'Steer the agent, or queue a follow-up…' : 'Ask the agent…'}
          rows={2}
          value={text}
          onChange={(e) => {
            cursor.current = IDLE_CURSOR
            setCaret(e.target.selectionStart)
            setDraft(sessionId, e.target.value)
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onKeyDown={onKeyDown}
        />
      </div>
      <div className="composer-bar">
        <ModelPicker
          list={models.list}
          value={modelValue}
          error={models.error}
          onChange={(ref) => setModel(sessionId, ref)}
          onOpen={models.refresh}
        />
        <ModePicker mode={mode} onChange={(m) => setMode(sessionId, m)} />
        <RunControls
          running={running}
          canContinue={!running && (status?.canContinue ?? false)}
          hasText={text.trim() !== '' && size.over === null}
          busy={actions.busy || compactAsked}
          onAction={act}
          onContinue={onContinue}
        />
      </div>
      <SwitchWarning fit={fit} sessionModel={sessionModel} />
      <div className="composer-foot">
        <p className="composer-status" role="status">
          {(running || compacting) && <span className="spinner" aria-hidden="true" />}
          <span>{statusText}</span>
        </p>
        {size.near && (
          <p className={`composer-size${size.over !== null ? ' is-over' : ''}`}>
            {formatCount(size.chars)} / {formatCount(PROMPT_MAX_CHARS)} characters
          </p>
        )}
        <p id={hintId} className="composer-hint" title={hint}>
          {hint}
        </p>
      </div>
      <OversizeNotice
        sessionId={sessionId}
        text={text}
        size={size}
        onAttached={(message) => {
          setText(message, message.length)
          textarea.current?.focus()
        }}
      />
      {compactError && (
        <div role="alert" className="composer-error">
          <p>Could not compact the conversation: {compactError.message}</p>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            aria-label="Dismiss compaction error"
            onClick={() => useCompactStore.getState().dismiss(sessionId)}
          >
            Dismiss
          </button>
        </div>
      )}
      {actions.error && (
        <div role="alert" className="composer-error">
          <p>{actions.error.message}</p>
          {actions.error.code === 'no_model' && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => useAppStore.getState().openSettings('providers')}
            >
              Open Settings
            </button>
          )}
          <button
            type="button"
            className="btn btn-ghost btn-small"
            aria-label="Dismiss error"
            onClick={actions.clearError}
          >
            Dismiss
          </button>
        </div>
      )}
    </div>
  )
}
