import { memo, useId, useState } from 'react'
import type { JSX, ReactNode } from 'react'
import { modelSwitchNote } from '../../../../shared/model-switch'
import { useAppStore } from '../../app/store'
import { ApprovalCard } from '../approvals/approval-card'
import { CompactionCard } from '../context/compaction-card'
import { pruneLine } from '../context/compaction-view'
import { STOP_HEADLINES, formatCost } from './format'
import { Markdown } from './markdown'
import type { Row } from './rows'
import { ToolCard } from './tool-card'

export interface RowViewProps {
  sessionId: string
  row: Row
  running: boolean
  /** The tool call the engine reports running, and since when (ms). */
  activeTool: { id: string; since: number } | null
}

const VIA_LABELS = {
  prompt: null,
  steer: 'Steer',
  follow_up: 'Follow-up',
  correction: 'To the model',
} as const

/** The way from a run a provider refused to that provider's form in Settings, on its key. */
function EditProviderButton({ name }: { name: string }): JSX.Element {
  return (
    <button
      type="button"
      className="btn btn-small run-end-action"
      onClick={() => useAppStore.getState().openSettings('providers', name)}
    >
      Edit provider ‘{name}’
    </button>
  )
}

/** Reasoning the model showed: collapsed until asked for. */
export function Reasoning({ text, live = false }: { text: string; live?: boolean }): JSX.Element {
  const [open, setOpen] = useState(false)
  const id = useId()
  return (
    <div className="reasoning">
      <button
        type="button"
        className="reasoning-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="reasoning-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        Reasoning
        {live && <span className="spinner" aria-hidden="true" />}
      </button>
      {open && (
        <div id={id} className="reasoning-text">
          {text}
        </div>
      )}
    </div>
  )
}

function Who({ children, badge }: { children: ReactNode; badge?: string | null }): JSX.Element {
  return (
    <div className="msg-who">
      {children}
      {badge && <span className="badge">{badge}</span>}
    </div>
  )
}

/** One row of the conversation, by kind. Memoized: rows are rebuilt only when entries change. */
export const RowView = memo(function RowView({
  sessionId,
  row,
  running,
  activeTool,
}: RowViewProps): JSX.Element | null {
  switch (row.kind) {
    case 'user':
      return (
        <div className={`msg msg-user msg-via-${row.via}`}>
          <Who badge={VIA_LABELS[row.via]}>{row.via === 'correction' ? 'Paddock' : 'You'}</Who>
          {row.skill && (
            <div className="msg-skill" title={`Loaded into this prompt: ${row.skill.path}`}>
              Skill loaded: <code>{row.skill.name}</code>
            </div>
          )}
          <div className="msg-user-text">{row.text}</div>
        </div>
      )
    case 'assistant':
      return (
        <div className="msg msg-agent">
          <Who badge={row.partial ? 'Stopped midway' : null}>Agent</Who>
          {row.reasoning.trim() && <Reasoning text={row.reasoning} />}
          {row.content.trim() ? (
            <Markdown text={row.content} />
          ) : (
            !row.reasoning.trim() && <p className="muted">(no text)</p>
          )}
        </div>
      )
    case 'tool':
      return (
        <ToolCard
          sessionId={sessionId}
          row={row}
          running={running}
          activeSince={activeTool?.id === row.call.id ? activeTool.since : null}
        />
      )
    case 'approval':
      return (
        <div className="row-approval">
          <ApprovalCard
            sessionId={sessionId}
            request={row.approval.request}
            answer={row.approval.answer}
          />
        </div>
      )
    case 'spend': {
      const limits = [
        row.spend.sessionLimitUsd !== undefined &&
          `${formatCost(row.spend.sessionLimitUsd)} for this session`,
        row.spend.dayLimitUsd !== undefined && `${formatCost(row.spend.dayLimitUsd)} for today`,
      ].filter(Boolean)
      return (
        <p className="event-line event-spend">
          <span className="badge">Spend</span> You allowed more spending
          {limits.length > 0 ? `: up to ${limits.join(' and ')}` : ''}.
        </p>
      )
    }
    case 'repair': {
      // A call that could not be read was not fixed: the model was told (the next message).
      const unread =
        row.repair.notes.length > 0 &&
        row.repair.notes.every((n) => n.kind === 'unread_text_tool_call')
      return (
        <div className="event-line event-repair">
          <span className="badge badge-repair">{unread ? 'Not run' : 'Repaired'}</span>
          <span>
            {unread
              ? 'Paddock could not read a tool call the model wrote as text:'
              : row.repair.source === 'stream'
                ? 'The model’s answer was malformed; Paddock fixed it:'
                : `Arguments of ${row.repair.toolName ?? 'a tool call'} were fixed:`}{' '}
            {row.repair.notes.map((n) => n.detail).join('; ')}
          </span>
        </div>
      )
    }
    case 'turn_end':
      return (
        <div className={`run-end run-end-${row.reason}`} role="note">
          <strong>{STOP_HEADLINES[row.reason]}</strong>
          {row.message && <span className="run-end-message">{row.message}</span>}
          {row.keyRefusedBy && <EditProviderButton name={row.keyRefusedBy} />}
        </div>
      )
    case 'model': {
      const note = modelSwitchNote(row.change)
      return (
        <div
          className={`divider${row.change.reason === 'fallback' ? ' divider-fallback' : ''}`}
          role="separator"
          aria-label={`Model: ${row.change.ref}${note ? ` · ${note}` : ''}`}
          {...(row.change.failure ? { title: row.change.failure.message } : {})}
        >
          <span>
            Model: {row.change.ref}
            {row.change.contextWindow
              ? ` · window ${row.change.contextWindow.toLocaleString()} tokens`
              : ''}
            {note ? ` · ${note}` : ''}
          </span>
        </div>
      )
    }
    case 'compaction':
      return (
        <CompactionCard compaction={row.compaction} replaced={row.replaced} missing={row.missing} />
      )
    case 'prune':
      return (
        <p className="event-line event-prune">
          <span className="badge">Pruned</span> {pruneLine(row.prune)}
        </p>
      )
    case 'other':
      return (
        <p className="event-line">
          <span className="badge">{row.entry.type.replace(/_/g, ' ')}</span> {row.text}
        </p>
      )
    case 'invalid':
      return (
        <p className="event-line event-invalid">
          Could not read this {row.entry.type.replace(/_/g, ' ')} entry: {row.error}
        </p>
      )
  }
})
