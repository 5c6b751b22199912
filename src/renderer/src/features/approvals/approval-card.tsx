import { useEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import type {
  ApprovalAnswer,
  ApprovalAnswerKind,
  ApprovalRequest,
} from '../../../../shared/entries'
import { useAppStore } from '../../app/store'
import { handsKeysOver, registerApprovalKeys } from './approval-keys'
import { CommandView } from './command-view'
import type { RequestDescription } from './describe'
import { answerSummary, describeRequest, ruleLabel, sessionRulePreview } from './describe'
import { ApprovalDiff, EditPreview } from './edit-preview'
import { FeedbackForm } from './feedback-form'
import { useAnswer } from './use-answer'
import { useFileExists } from './use-file-exists'

export interface ApprovalCardProps {
  sessionId: string
  request: ApprovalRequest
  /** The answer entry, once there is one. */
  answer: ApprovalAnswer | null
}

/** Approval ids whose card already took focus once (a card that remounts must not grab it again). */
const autoFocused = new Set<string>()

/** Is the user typing somewhere (composer, feedback, terminal, editor)? */
function typingIn(el: Element | null): boolean {
  if (!el) return false
  // Monaco may take keys through an EditContext element that is neither a field nor editable.
  if (inEditor(el)) return true
  if (el instanceof HTMLTextAreaElement) return true
  if (el instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(el.type)
  }
  return el instanceof HTMLElement && el.isContentEditable
}

const SHORTCUTS: Record<string, ApprovalAnswerKind | 'feedback'> = {
  y: 'allow_once',
  a: 'allow_session',
  n: 'feedback',
  s: 'deny_stop',
}

const TONE_ICONS: Record<string, string> = {
  approved: '✓',
  session: '✓',
  rejected: '✕',
  stopped: '■',
  settled: '✓',
  withdrawn: '–',
}

/** The session's workspace, and the folder its paths are relative to: its worktree, if any. */
function useWorkspace(sessionId: string): { id: string | null; root: string | null } {
  const id = useAppStore((s) => s.host.sessions[sessionId]?.workspaceId ?? null)
  const worktree = useAppStore((s) => s.host.sessions[sessionId]?.worktree?.path ?? null)
  const root = useAppStore((s) => (id ? (s.host.workspaces[id]?.path ?? null) : null))
  return { id, root: worktree ?? root }
}

/** Why it asks: the reason, and the deciding rule with where it came from. */
function WhyItAsks({ request }: { request: ApprovalRequest }): JSX.Element {
  const rule = ruleLabel(request)
  if (request.sandbox) {
    return (
      <div className="approval-why">
        <span className="approval-section-label">What the sandbox refused</span>
        <p className="approval-reason">{request.reason}</p>
        <p className="approval-rule">
          Running it outside gives this one command your own permissions: every file and the
          network.
        </p>
      </div>
    )
  }
  return (
    <div className="approval-why">
      <span className="approval-section-label">Why it asks</span>
      <p className="approval-reason">{request.reason}</p>
      <p className="approval-rule">
        {rule ? (
          <>
            Rule: <code>{rule}</code>
          </>
        ) : (
          'A safeguard no rule can turn off (except an explicit session choice).'
        )}
      </p>
    </div>
  )
}

/** What the call would do: the command, the change to the file, or the arguments. */
function RequestBody({
  request,
  described,
  review,
}: {
  request: ApprovalRequest
  described: RequestDescription
  /** While pending: the change opens in Monaco's diff, editable; null shows the text record. */
  review?: {
    workspaceId: string
    sessionId: string
    onEdited: (text: string | null) => void
  } | null
}): JSX.Element {
  if (described.kind === 'command') {
    return <CommandView command={described.command ?? ''} subcommands={request.subcommands} />
  }
  if (described.kind === 'edit' || described.kind === 'write') {
    return (
      <div className="approval-file">
        <p className="approval-path">
          <code>{described.path}</code>
        </p>
        {review && described.path ? (
          <ApprovalDiff
            tool={described.kind}
            arguments={request.arguments}
            workspaceId={review.workspaceId}
            sessionId={review.sessionId}
            path={filePath(request.arguments) ?? described.path}
            onEdited={review.onEdited}
          />
        ) : (
          <EditPreview tool={described.kind} arguments={request.arguments} />
        )}
      </div>
    )
  }
  return (
    <pre className="approval-args" aria-label="Arguments">
      {JSON.stringify(request.arguments, null, 2)}
    </pre>
  )
}

function filePath(args: unknown): string | null {
  const path = (args as { path?: unknown } | null)?.path
  return typeof path === 'string' ? path : null
}

/** Inside Monaco, keys are the editor's (typing "y" in the proposed text must not approve). */
function inEditor(el: Element | null): boolean {
  return el?.closest('.monaco-editor') != null
}

function ActionButton({
  label,
  shortcut,
  className,
  busy,
  disabled,
  onClick,
}: {
  label: string
  shortcut: string
  className: string
  busy: boolean
  disabled: boolean
  onClick: () => void
}): JSX.Element {
  return (
    <button
      type="button"
      className={`btn ${className}`}
      aria-label={label}
      aria-keyshortcuts={shortcut.toLowerCase()}
      title={`${label} (${shortcut})`}
      disabled={disabled}
      onClick={onClick}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      <span>{label}</span>
      <kbd className="approval-kbd" aria-hidden="true">
        {shortcut}
      </kbd>
    </button>
  )
}

/**
 * A tool call waiting for the user, shown inline where the agent stopped: what it wants to do,
 * why it asks, the command (risky parts marked) or the change, and the four answers, with keys
 * when the card has focus or, for the newest question, from an empty composer (Y approve, A
 * approve for session, N reject with feedback, S reject and stop). Once answered it collapses to a
 * one-line record that still opens to show the details.
 */
export function ApprovalCard({ sessionId, request, answer }: ApprovalCardProps): JSX.Element {
  const { id: workspaceId, root } = useWorkspace(sessionId)
  const { sending, sent, error, send } = useAnswer(sessionId, request.approvalId)
  const [feedbackOpen, setFeedbackOpen] = useState(false)
  const [edited, setEdited] = useState<string | null>(null)
  const card = useRef<HTMLDivElement>(null)
  const pending = answer === null && sent === null
  // Asked while the question waits (afterwards the file exists either way); the title keeps it.
  const fileExists = useFileExists(
    request.tool === 'write' ? workspaceId : null,
    request.arguments,
    root,
    pending,
    sessionId,
  )
  const described = describeRequest(request, { workspaceRoot: root, fileExists })
  const newest = useAppStore((s) => {
    const ids = s.live[sessionId]?.pendingApprovals
    return ids !== undefined && ids[ids.length - 1] === request.approvalId
  })

  // The newest question takes the focus unless someone is typing: an empty composer (a message
  // was just sent, by click or by key) is not typing, so both ways of sending end the same.
  useEffect(() => {
    if (!pending || !newest || autoFocused.has(request.approvalId)) return
    autoFocused.add(request.approvalId)
    const active = document.activeElement
    if (typingIn(active) && !handsKeysOver(active)) return
    card.current?.focus()
  }, [pending, newest, request.approvalId])

  const busy = sending !== null
  const act = (kind: ApprovalAnswerKind | 'feedback'): void => {
    if (busy) return
    if (kind === 'feedback') setFeedbackOpen(true)
    else if (edited !== null && (kind === 'allow_once' || kind === 'allow_session')) {
      send(kind, undefined, edited)
    } else send(kind)
  }
  /** One of the card's keys (Y, A, N, S), from the card or handed over by an empty composer. */
  const pressKey = (key: string): boolean => {
    const kind = SHORTCUTS[key.toLowerCase()]
    if (!kind || feedbackOpen) return false
    act(kind)
    return true
  }
  const keyAct = useRef(pressKey)
  useEffect(() => {
    keyAct.current = pressKey
  })
  useEffect(() => {
    if (!pending) return
    return registerApprovalKeys(request.approvalId, (key) => keyAct.current(key))
  }, [pending, request.approvalId])

  const label = `Approval: ${described.summary}`

  if (!pending) {
    const record = answerSummary(answer ?? sent!)
    return (
      <div
        role="group"
        aria-label={label}
        className={`approval-card is-answered tone-${record.tone}`}
        data-approval-id={request.approvalId}
        data-state={record.tone}
      >
        <details className="approval-record">
          <summary title={record.text}>
            <span className="approval-record-icon" aria-hidden="true">
              {TONE_ICONS[record.tone]}
            </span>
            <span className="approval-record-text">{record.text}</span>
            <span className="approval-record-what">{described.summary}</span>
          </summary>
          <div className="approval-record-body">
            <WhyItAsks request={request} />
            <RequestBody request={request} described={described} />
          </div>
        </details>
      </div>
    )
  }

  const session = sessionRulePreview(request, root)
  // A command the sandbox blocked: the question is whether to run it once outside.
  const outside = request.sandbox !== undefined
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return
    if (typingIn(e.target as Element) || inEditor(e.target as Element)) return
    if (e.key === 'Escape' && feedbackOpen) {
      e.preventDefault()
      setFeedbackOpen(false)
      card.current?.focus()
      return
    }
    if (pressKey(e.key)) e.preventDefault()
  }

  return (
    <div
      ref={card}
      role="group"
      aria-label={label}
      tabIndex={0}
      className="approval-card is-pending"
      data-approval-id={request.approvalId}
      data-state="pending"
      onKeyDown={onKeyDown}
    >
      <header className="approval-head">
        <span className="approval-icon" aria-hidden="true">
          ?
        </span>
        <h3 className="approval-title">{outside ? 'Blocked by the sandbox' : described.title}</h3>
        <span className="approval-tool" title="The tool the agent called">
          {request.tool}
        </span>
        <span className="approval-waiting">Waiting for you</span>
      </header>
      <WhyItAsks request={request} />
      <div className="approval-body">
        <RequestBody
          request={request}
          described={described}
          review={workspaceId ? { workspaceId, sessionId, onEdited: setEdited } : null}
        />
      </div>
      {edited !== null && (
        <p className="approval-edited" role="status">
          You changed the proposed text: approving writes your version, and the agent is told.
        </p>
      )}
      {error !== null && (
        <p role="alert" className="approval-error">
          Could not send the answer: {error}
        </p>
      )}
      {feedbackOpen ? (
        <FeedbackForm
          busy={busy}
          onSend={(text) => send('deny', text)}
          onCancel={() => {
            setFeedbackOpen(false)
            card.current?.focus()
          }}
        />
      ) : (
        <>
          <div className="approval-actions">
            <ActionButton
              label={outside ? 'Run once outside the sandbox' : 'Approve'}
              shortcut="Y"
              className="btn-primary"
              busy={sending === 'allow_once'}
              disabled={busy}
              onClick={() => act('allow_once')}
            />
            <ActionButton
              label={outside ? 'Always outside for this command' : 'Approve for session'}
              shortcut="A"
              className=""
              busy={sending === 'allow_session'}
              disabled={busy}
              onClick={() => act('allow_session')}
            />
            <ActionButton
              label={outside ? 'Keep it inside' : 'Reject'}
              shortcut="N"
              className=""
              busy={false}
              disabled={busy}
              onClick={() => act('feedback')}
            />
            <ActionButton
              label="Reject and stop"
              shortcut="S"
              className="btn-ghost approval-stop"
              busy={sending === 'deny_stop'}
              disabled={busy}
              onClick={() => act('deny_stop')}
            />
          </div>
          {outside ? (
            <p className="approval-hint">
              <strong>Always outside for this command:</strong> the same command runs outside the
              sandbox without asking, for the rest of this session.
            </p>
          ) : (
            <p className="approval-hint">
              <strong>Approve for session:</strong> {session.text}
              {session.pattern !== null && (
                <>
                  {' '}
                  Adds the rule{' '}
                  <code>
                    {session.tool}: {session.pattern} → allow
                  </code>
                  .
                </>
              )}
            </p>
          )}
        </>
      )}
    </div>
  )
}
