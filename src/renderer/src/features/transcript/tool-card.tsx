import { memo, useId, useState } from 'react'
import type { JSX } from 'react'
import { ApprovalCard } from '../approvals/approval-card'
import { revealTerminalCommand } from '../terminal/reveal'
import { formatDuration } from './format'
import type { Row } from './rows'
import { TOOL_STATUS_LABELS, describeArgs, toolStatus, truncateOutput } from './tool-view'
import { ToolImages } from './tool-images'
import { useNow } from './use-now'

export type ToolRow = Extract<Row, { kind: 'tool' }>

/** What a repair mark on a card fixed, by where the broken part was. */
const REPAIR_SOURCES = {
  arguments: 'Paddock repaired the name or arguments the model wrote for this call',
  stream: 'Paddock repaired how the provider streamed this call',
} as const

/** Marks whose note kind says more than their source. */
const REPAIR_KINDS: Record<string, string> = {
  text_tool_calls: 'The model wrote this call as text; Paddock read it and ran it as a tool call',
}

export interface ToolCardProps {
  sessionId: string
  row: ToolRow
  /** The session's run is going: a call without a result is in progress. */
  running: boolean
  /** When the call the engine reports running started (ms), if it is this one. */
  activeSince: number | null
}

/**
 * One tool call: name, the argument that says what it does (full JSON on demand), status,
 * duration, the approval question it raised, and its output — the first lines, then "Show all".
 */
export const ToolCard = memo(function ToolCard({
  sessionId,
  row,
  running,
  activeSince,
}: ToolCardProps): JSX.Element {
  const { call, result, approval, repairs } = row
  const name = result?.toolName ?? call.name
  // A repaired call is described as it ran (the model's text may not even be JSON); a call that
  // never ran has only its own text to show (its replay is `{}` or what could be read of it).
  const executed =
    result?.replay && result.replay.arguments !== '{}' ? result.replay.arguments : null
  const args = describeArgs(name, executed ?? call.arguments)
  const rewritten = executed !== null && executed !== call.arguments
  const status = toolStatus(result, approval, running)
  const [argsOpen, setArgsOpen] = useState(false)
  const [outputOpen, setOutputOpen] = useState(false)
  const argsId = useId()
  const now = useNow(status === 'running')
  const started = activeSince ?? row.calledAt
  // A result the engine wrote for a call cut short (its process died) has no duration to tell.
  const duration = result
    ? result.synthetic && result.durationMs === 0
      ? null
      : formatDuration(result.durationMs)
    : status === 'running'
      ? formatDuration(Math.max(0, now - started))
      : null
  const output = result ? truncateOutput(result.content) : null
  // The agent's commands run in its shell: the card links to where this one ran.
  const inShell =
    name === 'bash' &&
    (status === 'running' || status === 'done' || status === 'error' || status === 'interrupted')
  const handle =
    typeof result?.details?.handle === 'string' ? (result.details.handle as string) : null

  return (
    <article
      className={`tool-card tool-${status}`}
      aria-label={`Tool call ${name}${args.summary ? `: ${args.summary}` : ''}`}
    >
      <header className="tool-head">
        <span className="tool-name">{name}</span>
        {args.summary && (
          <code className="tool-summary" title={args.summary}>
            {args.summary}
          </code>
        )}
        <span className="tool-status">
          {(status === 'running' || status === 'waiting') && (
            <span className="spinner" aria-hidden="true" />
          )}
          {TOOL_STATUS_LABELS[status]}
        </span>
        {duration && <span className="tool-duration">{duration}</span>}
        {inShell && (
          <button
            type="button"
            className="btn btn-ghost btn-small tool-terminal-link"
            title="Show this command in the session's Agent terminal"
            onClick={() => revealTerminalCommand(sessionId, call.id, handle)}
          >
            Show in terminal
          </button>
        )}
        {call.arguments && (
          <button
            type="button"
            className="btn btn-ghost btn-small tool-args-toggle"
            aria-expanded={argsOpen}
            aria-controls={argsId}
            onClick={() => setArgsOpen((o) => !o)}
          >
            {argsOpen ? 'Hide arguments' : 'Arguments'}
          </button>
        )}
      </header>
      {repairs.length > 0 && (
        <ul className="tool-repairs" aria-label="Repairs">
          {repairs.flatMap((r, i) =>
            r.notes.map((n, j) => (
              <li key={`${i}:${j}`} title={REPAIR_KINDS[n.kind] ?? REPAIR_SOURCES[r.source]}>
                <span className="badge badge-repair">repaired:</span> {n.detail}
              </li>
            )),
          )}
        </ul>
      )}
      {argsOpen && (
        <div id={argsId}>
          {rewritten && <p className="tool-args-label">As run</p>}
          <pre className="tool-args">{args.full}</pre>
          {rewritten && (
            <>
              <p className="tool-args-label">As the model wrote them</p>
              <pre className="tool-args">{call.arguments}</pre>
            </>
          )}
        </div>
      )}
      {approval && (
        <div className="tool-approval">
          <ApprovalCard sessionId={sessionId} request={approval.request} answer={approval.answer} />
        </div>
      )}
      {output && (result!.content.trim() !== '' || result!.isError) && (
        <div className="tool-output-wrap">
          <pre className={`tool-output${result!.isError ? ' tool-output-error' : ''}`}>
            {outputOpen ? result!.content : output.text}
            {!outputOpen && output.truncated && '\n…'}
          </pre>
          {output.truncated && (
            <button
              type="button"
              className="btn btn-ghost btn-small tool-output-toggle"
              aria-expanded={outputOpen}
              onClick={() => setOutputOpen((o) => !o)}
            >
              {outputOpen
                ? 'Show less'
                : output.hiddenLines > 0
                  ? `Show all (${output.hiddenLines} more lines)`
                  : 'Show all'}
            </button>
          )}
        </div>
      )}
      {result && <ToolImages tool={name} details={result.details} />}
    </article>
  )
})
