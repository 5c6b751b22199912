import { useCallback, useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { DoctorCheck, MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

type Report = MethodOutput<'host.doctor'>
type State =
  | { status: 'running'; last: Report | null }
  | { status: 'done'; report: Report }
  | { status: 'error'; message: string }

const STATUS_LABEL: Record<DoctorCheck['status'], string> = {
  ok: 'OK',
  info: 'Note',
  warn: 'Warning',
  fail: 'Problem',
}

/** One line of what the checks found: the count of problems and warnings, or all well. */
function summaryOf(checks: readonly DoctorCheck[]): string {
  const fails = checks.filter((c) => c.status === 'fail').length
  const warns = checks.filter((c) => c.status === 'warn').length
  if (fails === 0 && warns === 0) return 'Everything Paddock needs works on this computer.'
  const parts = [
    fails ? `${fails} ${fails === 1 ? 'problem' : 'problems'}` : '',
    warns ? `${warns} ${warns === 1 ? 'warning' : 'warnings'}` : '',
  ].filter(Boolean)
  return `${parts.join(' and ')}: each with what to do.`
}

/**
 * Settings → Doctor: what Paddock depends on, checked on the host when the section opens (and
 * again on request) — the same checks as `paddock doctor`.
 */
export function DoctorSection(): JSX.Element {
  const [state, setState] = useState<State>({ status: 'running', last: null })

  // The state changes only once the host answered (the first run starts as `running`).
  const check = useCallback(
    (): Promise<void> =>
      getClient()
        .call('host.doctor', {})
        .then(
          (report) => setState({ status: 'done', report }),
          (err: unknown) =>
            setState({
              status: 'error',
              message: `The checks could not run: ${errorMessage(err)}`,
            }),
        ),
    [],
  )

  useEffect(() => {
    check().catch(() => undefined)
  }, [check])

  const runAgain = (last: Report | null): void => {
    setState({ status: 'running', last })
    void check()
  }

  const report =
    state.status === 'done' ? state.report : state.status === 'running' ? state.last : null
  return (
    <section className="settings-group" aria-labelledby="doctor-title">
      <div className="settings-group-header">
        <div>
          <h3 id="doctor-title">Checks</h3>
          <p className="muted" role="status">
            {state.status === 'running'
              ? 'Checking…'
              : state.status === 'error'
                ? state.message
                : summaryOf(state.report.checks)}
          </p>
        </div>
        <button
          type="button"
          className="btn"
          disabled={state.status === 'running'}
          onClick={() => runAgain(report)}
        >
          Run again
        </button>
      </div>
      {report && (
        <ul
          className="doctor-list"
          aria-label="Doctor checks"
          aria-busy={state.status === 'running'}
        >
          {report.checks.map((c) => (
            <li key={c.id} className="doctor-check" data-status={c.status}>
              <span className="doctor-status">{STATUS_LABEL[c.status]}</span>
              <div className="doctor-body">
                <div className="doctor-title">{c.title}</div>
                <div className="doctor-detail">{c.detail}</div>
                {c.fix && c.status !== 'ok' && (
                  <div className="doctor-fix">
                    <strong>Fix:</strong> {c.fix}
                  </div>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
