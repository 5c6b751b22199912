import type { JSX } from 'react'
import { useAppStore } from './store'

/** Says so while the host is out of reach; calls wait (or fail) until it is back. */
export function ConnectionBanner(): JSX.Element | null {
  const status = useAppStore((s) => s.status)
  if (status !== 'reconnecting' && status !== 'closed') return null
  return (
    <div role="status" className="connection-banner">
      <span className="spinner" aria-hidden="true" />
      {status === 'closed'
        ? 'Disconnected from the Paddock host.'
        : 'Reconnecting to the Paddock host…'}
    </div>
  )
}
