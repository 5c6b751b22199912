import { useState } from 'react'
import type { JSX } from 'react'
import type { NotifyPermission } from './deliverer'
import { useNotifyStatus } from './notify-status'

/** What the permission means for the user, in one or two sentences. */
function permissionText(kind: 'desktop' | 'browser' | null, permission: NotifyPermission): string {
  if (kind === 'desktop')
    return 'Paddock shows them as system notifications with its icon, and counts the sessions waiting on you on its dock or taskbar icon. Your system’s notification settings can still silence them.'
  switch (permission) {
    case 'granted':
      return 'Notifications are on in this browser.'
    case 'default':
      return 'This browser has not been allowed to show Paddock’s notifications yet.'
    case 'denied':
      return 'This browser blocks Paddock’s notifications. To allow them, open the site settings (the icon left of the address), set Notifications to Allow, then come back here.'
    case 'unsupported':
      return 'This browser cannot show notifications for this page (they need https:// or localhost).'
  }
}

/**
 * Where notifications show: in a browser, its permission and the one button that asks for it
 * (never asked on load); in the desktop app, the system's. A test notification shows how one
 * looks, and plays the tone when Sound is on.
 */
export function DeliveryGroup(): JSX.Element {
  const kind = useNotifyStatus((s) => s.kind)
  const permission = useNotifyStatus((s) => s.permission)
  const requestPermission = useNotifyStatus((s) => s.requestPermission)
  const sendTest = useNotifyStatus((s) => s.sendTest)
  const [status, setStatus] = useState('')
  const browser = kind !== 'desktop'
  const canShow = kind === 'desktop' || permission === 'granted'

  return (
    <section className="settings-group" aria-labelledby="notify-delivery-title">
      <div className="settings-group-header">
        <div>
          <h3 id="notify-delivery-title">{browser ? 'In this browser' : 'On this computer'}</h3>
          <p className="muted" id="notify-permission" data-permission={permission}>
            {permissionText(kind, permission)}
          </p>
        </div>
      </div>
      <div className="settings-actions">
        {browser && permission === 'default' && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              void requestPermission().then(() => {
                const now = useNotifyStatus.getState().permission
                setStatus(
                  now === 'granted'
                    ? 'Notifications are on.'
                    : 'The browser did not allow notifications.',
                )
              })
            }}
          >
            Turn on notifications
          </button>
        )}
        <button
          type="button"
          className="btn"
          disabled={!canShow}
          aria-describedby="notify-permission"
          onClick={() => {
            sendTest()
            setStatus('Test notification sent.')
          }}
        >
          Send a test notification
        </button>
        <span role="status" className="muted">
          {status}
        </span>
      </div>
    </section>
  )
}
