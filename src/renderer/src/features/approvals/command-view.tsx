import type { JSX } from 'react'
import type { ApprovalRequest } from '../../../../shared/entries'
import type { Segment } from './risky-spans'
import { explainRisk, markCommand, markSubcommand } from './risky-spans'

type Subcommand = NonNullable<ApprovalRequest['subcommands']>[number]

function tooltip(risks: string[]): string {
  return risks.map((r) => `${r} — ${explainRisk(r)}`).join('\n')
}

/** Text with its risky runs highlighted; each highlight explains itself on hover. */
function Marked({ segments }: { segments: Segment[] }): JSX.Element {
  return (
    <>
      {segments.map((s, i) =>
        s.risks.length === 0 ? (
          <span key={i}>{s.text}</span>
        ) : (
          <mark key={i} className="risky" title={tooltip(s.risks)} data-risk={s.risks.join('; ')}>
            {s.text}
          </mark>
        ),
      )}
    </>
  )
}

const DECISIONS: Record<string, string> = { allow: 'allowed', ask: 'asks', deny: 'refused' }

/**
 * A command waiting for approval: the line as the agent wrote it with its risky parts marked,
 * then each parsed subcommand with its own decision, why, and what is risky about it.
 */
export function CommandView({
  command,
  subcommands,
}: {
  command: string
  subcommands: readonly Subcommand[] | undefined
}): JSX.Element {
  const subs = subcommands ?? []
  const segments = markCommand(command, subs)
  const riskCount = new Set(subs.flatMap((s) => s.risky)).size
  return (
    <div className="command-view">
      <pre className="command-line" aria-label="Command">
        <span className="command-prompt" aria-hidden="true">
          ${' '}
        </span>
        <Marked segments={segments} />
      </pre>
      {subs.length === 0 ? (
        <p className="approval-muted">The command could not be split into subcommands.</p>
      ) : (
        <>
          <p className="approval-section-label">
            {subs.length === 1 ? '1 subcommand' : `${subs.length} subcommands`}
            {riskCount > 0 && (
              <span className="risk-count">
                {' '}
                · {riskCount === 1 ? '1 risk' : `${riskCount} risks`}
              </span>
            )}
          </p>
          <ul className="subcommands" aria-label="Subcommands">
            {subs.map((sub, i) => (
              <li key={i} className="subcommand">
                <span className={`decision decision-${sub.action}`}>
                  {DECISIONS[sub.action] ?? sub.action}
                </span>
                <div className="subcommand-main">
                  <code className="subcommand-text">
                    <Marked segments={markSubcommand(sub)} />
                  </code>
                  <span className="subcommand-reason">{sub.reason}</span>
                  {sub.risky.length > 0 && (
                    <ul className="risks" aria-label="Risks">
                      {sub.risky.map((r) => (
                        <li key={r} className="risk" title={explainRisk(r)}>
                          <span aria-hidden="true">⚠ </span>
                          {r}
                          <span className="risk-why"> — {explainRisk(r)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
