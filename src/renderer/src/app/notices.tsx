import { useEffect } from 'react'
import type { JSX } from 'react'
import { AlertIcon, CloseIcon } from '../lib/ui/icons'
import type { Notice } from './notices-slice'
import { useAppStore } from './store'

/** How long a notice stays unless dismissed, in ms. */
const NOTICE_MS = 12_000

function NoticeToast({ notice }: { notice: Notice }): JSX.Element {
  const dismiss = useAppStore((s) => s.dismissNotice)
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), NOTICE_MS)
    return () => clearTimeout(timer)
  }, [dismiss, notice.id])
  return (
    <div role="alert" className="toast">
      <AlertIcon />
      <p>{notice.message}</p>
      <button
        type="button"
        className="icon-btn"
        aria-label="Dismiss"
        title="Dismiss"
        onClick={() => dismiss(notice.id)}
      >
        <CloseIcon />
      </button>
    </div>
  )
}

/** Failed calls, as toasts in the corner. */
export function Notices(): JSX.Element {
  const notices = useAppStore((s) => s.notices)
  return (
    <div className="toasts">
      {notices.map((n) => (
        <NoticeToast key={n.id} notice={n} />
      ))}
    </div>
  )
}
