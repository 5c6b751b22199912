import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { SettingFieldSpec } from './settings-form'
import { SettingsForm } from './settings-form'
import { useStoredSettings } from './stored-settings'

const FIELDS: SettingFieldSpec[] = [
  {
    key: 'spend.perSessionUsd',
    label: 'Cap per session',
    kind: 'number',
    unit: 'USD',
    placeholder: 'No cap',
    help: 'A session that reaches it pauses before its next model call; Continue with your OK allows another cap’s worth.',
  },
  {
    key: 'spend.perDayUsd',
    label: 'Cap per day',
    kind: 'number',
    unit: 'USD',
    placeholder: 'No cap',
    help: (
      <>
        Across every session, per UTC day. <code>paddock run --spend-cap</code> and{' '}
        <code>--daily-cap</code> override them for one run.
      </>
    ),
  },
]

/** Dollars as the caps are shown: cents, or four decimals below a cent. */
function usd(n: number): string {
  return `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`
}

/** Spend: today's total across sessions against the daily cap, and the caps themselves. */
export function SpendSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const [today, setToday] = useState<MethodOutput<'sessions.spendToday'> | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    getClient()
      .call('sessions.spendToday', {})
      .then((r) => live && setToday(r))
      .catch((err: unknown) => live && setError(errorMessage(err)))
    return () => {
      live = false
    }
  }, [values])
  const dayCap = today?.caps.perDayUsd
  const share = today && dayCap ? Math.min(1, today.spentUsd / dayCap) : null

  return (
    <>
      <div className="settings-group" role="group" aria-labelledby="spend-today-title">
        <div className="spend-today">
          <div>
            <h3 id="spend-today-title">Spent today</h3>
            <p className="muted">
              Every session’s model calls since 00:00 UTC, at catalog prices (models without a price
              count as $0).
            </p>
          </div>
          <p className="spend-today-amount" aria-live="polite">
            {error !== null ? (
              <span className="settings-error">Could not read today’s spend: {error}</span>
            ) : today === null ? (
              <span className="muted">…</span>
            ) : (
              <>
                <strong>{usd(today.spentUsd)}</strong>
                <span className="muted">
                  {dayCap !== undefined ? ` of ${usd(dayCap)} today` : ' · no daily cap'}
                </span>
              </>
            )}
          </p>
        </div>
        {share !== null && (
          <div
            className="spend-meter"
            role="meter"
            aria-label="Share of the daily cap spent"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(share * 100)}
          >
            <span style={{ width: `${share * 100}%` }} />
          </div>
        )}
      </div>
      <SettingsForm
        id="spend"
        title="Caps"
        description="Leave a cap empty for none. Changes apply to the next model call of every session."
        fields={FIELDS}
      />
    </>
  )
}
