import iconUrl from '../../../../../resources/icon.svg'
import type { Deliverer, NotifyPermission, OnNotificationClick } from './deliverer'
import { tagOf } from './deliverer'

/** The browser's permission now; `unsupported` without the API (an insecure origin, old browser). */
function currentPermission(): NotifyPermission {
  if (typeof Notification === 'undefined') return 'unsupported'
  return Notification.permission
}

/**
 * Notifications in a browser, through the Web Notifications API. Nothing is shown before the user
 * granted the permission, and it is asked for only by `requestPermission` (a button). The page's
 * own tone plays instead of the system's (`silent`), so Settings' Sound decides.
 */
export function createWebDeliverer(onClick: OnNotificationClick): Deliverer {
  // Kept until closed so a click still finds its handler.
  const open = new Map<string, Notification>()
  return {
    kind: 'browser',
    permission: currentPermission,
    async requestPermission() {
      if (typeof Notification === 'undefined') return 'unsupported'
      try {
        return await Notification.requestPermission()
      } catch {
        return currentPermission()
      }
    },
    show({ sessionId, title, body }) {
      if (currentPermission() !== 'granted') return
      const tag = tagOf(sessionId)
      open.get(tag)?.close()
      let n: Notification
      try {
        n = new Notification(title, { body, tag, icon: iconUrl, silent: true })
      } catch {
        // Some browsers (Chrome on Android) show notifications only from a service worker: the
        // title's count still says who waits.
        return
      }
      open.set(tag, n)
      n.onclick = () => {
        n.close()
        onClick(sessionId)
      }
      n.onclose = () => {
        if (open.get(tag) === n) open.delete(tag)
      }
    },
    setBadge() {
      // No badge in a browser tab: the document title carries the count (the runtime sets it).
    },
    dispose() {
      for (const n of open.values()) n.close()
      open.clear()
    },
  }
}
