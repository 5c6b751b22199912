import type { Looking, NotifyEvent } from '../../../../shared/notify-policy'
import { MAX_NOTIFY_BODY_CHARS, MAX_NOTIFY_TITLE_CHARS } from '../../../../shared/notify-bridge'
import { createNotifier, notificationText } from '../../../../shared/notify-policy'
import type { AppState } from '../../app/store'
import { useAppStore } from '../../app/store'
import { sessionsOnScreen } from '../../app/ui-slice'
import { waitingCount } from '../agents/agent-rows'
import { useStoredSettings } from '../settings/stored-settings'
import type { Deliverer, OutgoingNotification } from './deliverer'
import { createDesktopDeliverer } from './desktop-deliverer'
import { focusSession } from './focus-session'
import { clipText, notifySettingsOf, titleWithCount } from './notify-settings'
import { useNotifyStatus } from './notify-status'
import { playTone } from './tone'
import { marksOf, createTransitionTracker } from './transitions'
import { createWebDeliverer } from './web-deliverer'

/**
 * Notifications, started once by the app: every store update is reduced to the sessions' states
 * (`transitions.ts`), their changes go to the notifier (`notify-policy.ts`) with whether the user
 * is looking, and when a batch is due its notifications are delivered — the OS in the desktop
 * app, the Web Notifications API in a browser — with one tone when Sound is on. The count of
 * sessions waiting on the user goes to the dock/taskbar badge and the window's title.
 */

export interface NotificationsOptions {
  /** The clock, ms since the epoch. */
  now?: () => number
  /** Defaults to the desktop bridge when there is one, else the browser's API. */
  deliverer?: Deliverer
}

/** Whether the user sees a session now: the window focused and shown, and the session on screen. */
function lookingNow(state: AppState): Looking {
  return {
    windowFocused: document.visibilityState === 'visible' && document.hasFocus(),
    visibleSessions: new Set(sessionsOnScreen(state)),
  }
}

/** The words of a notification about a session: its state change, and its workspace. */
export function notificationFor(
  state: AppState,
  sessionId: string,
  event: NotifyEvent,
): OutgoingNotification {
  const session = state.host.sessions[sessionId]
  const workspace = session ? state.host.workspaces[session.workspaceId] : undefined
  const title = notificationText(event, session?.title.trim() || 'A session')
  const body = workspace ? `In ${workspace.name}` : ''
  // Within what the desktop bridge accepts (a long title is cut, never refused).
  return {
    sessionId,
    title: clipText(title, MAX_NOTIFY_TITLE_CHARS),
    body: clipText(body, MAX_NOTIFY_BODY_CHARS),
  }
}

export function startNotifications(options: NotificationsOptions = {}): () => void {
  const now = options.now ?? Date.now
  const bridge = window.paddockBridge
  const deliverer =
    options.deliverer ??
    (bridge ? createDesktopDeliverer(bridge, focusSession) : createWebDeliverer(focusSession))
  const notifier = createNotifier({ now })
  const tracker = createTransitionTracker()
  const baseTitle = document.title || 'Paddock'
  const settings = () => notifySettingsOf(useStoredSettings.getState().values)
  let timer: ReturnType<typeof setTimeout> | null = null
  let badge = -1

  const flush = (): void => {
    timer = null
    const state = useAppStore.getState()
    const batch = notifier.take(lookingNow(state), settings())
    for (const n of batch) deliverer.show(notificationFor(state, n.sessionId, n.event))
    if (batch.some((n) => n.sound)) playTone()
    schedule()
  }

  const schedule = (): void => {
    const due = notifier.dueAt()
    if (timer !== null || due === null) return
    timer = setTimeout(flush, Math.max(0, due - now()))
  }

  const setBadge = (state: AppState): void => {
    const count = state.ready ? waitingCount(state.host.sessions, state.live) : 0
    if (count === badge) return
    badge = count
    deliverer.setBadge(count)
    document.title = titleWithCount(baseTitle, count)
  }

  const onState = (state: AppState, prev: AppState | null): void => {
    if (
      prev !== null &&
      state.live === prev.live &&
      state.host.sessions === prev.host.sessions &&
      state.ready === prev.ready
    )
      return
    const marks = state.ready ? marksOf(Object.keys(state.host.sessions), state.live) : null
    const transitions = tracker.update(marks, now())
    if (transitions.length > 0) {
      const looking = lookingNow(state)
      for (const t of transitions) notifier.observe(t, looking)
      schedule()
    }
    setBadge(state)
  }

  const refreshPermission = (): void =>
    useNotifyStatus.setState({ kind: deliverer.kind, permission: deliverer.permission() })
  useNotifyStatus.setState({
    requestPermission: async () => {
      await deliverer.requestPermission()
      refreshPermission()
    },
    sendTest: () => {
      deliverer.show({
        sessionId: null,
        title: 'Paddock notifications are on',
        body: 'A session that needs you will look like this.',
      })
      if (settings().sound) playTone()
    },
  })
  refreshPermission()
  // The permission can change in the browser's own settings while the page is open.
  const onVisible = (): void => refreshPermission()
  document.addEventListener('visibilitychange', onVisible)
  window.addEventListener('focus', onVisible)

  onState(useAppStore.getState(), null)
  const unsubscribe = useAppStore.subscribe(onState)
  return () => {
    unsubscribe()
    if (timer !== null) clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisible)
    window.removeEventListener('focus', onVisible)
    document.title = baseTitle
    deliverer.dispose()
  }
}
