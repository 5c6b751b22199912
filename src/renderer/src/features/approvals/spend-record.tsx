import type { JSX } from 'react'
import type { SpendApproval } from '../../../../shared/entries'
import { spendText } from './describe'

/** The user's OK to go past a spend cap, as a one-line record in the conversation. */
export function SpendRecord({ approval }: { approval: SpendApproval }): JSX.Element {
  return (
    <p className="approval-spend" role="note" aria-label="Spend approval">
      <span className="approval-record-icon" aria-hidden="true">
        $
      </span>
      {spendText(approval)}
    </p>
  )
}
