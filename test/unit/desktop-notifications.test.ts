import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Logger } from '../../src/main/core/logger'

// Electron cannot run here: its Notification, app and ipcMain are recording doubles, behind the
// thin adapters of src/main/desktop/ and src/main/ipc/ (docs/CONVENTIONS.md, "Tests").
interface FakeNotification {
  options: { title: string; body: string; icon?: string; silent: boolean }
  shown: boolean
  closed: boolean
  listeners: Map<string, () => void>
}
const made: FakeNotification[] = []
const badges: number[] = []
let supported = true
const ipcListeners = new Map<string, (...args: unknown[]) => void>()

vi.mock('electron', () => ({
  Notification: class {
    static isSupported(): boolean {
      return supported
    }
    readonly record: FakeNotification
    constructor(options: FakeNotification['options']) {
      this.record = { options, shown: false, closed: false, listeners: new Map() }
      made.push(this.record)
    }
    on(event: string, listener: () => void): this {
      this.record.listeners.set(event, listener)
      return this
    }
    show(): void {
      this.record.shown = true
    }
    close(): void {
      this.record.closed = true
      this.record.listeners.get('close')?.()
    }
  },
  app: {
    setBadgeCount: (n: number) => {
      badges.push(n)
      return true
    },
  },
  ipcMain: {
    on: (ch: string, fn: (...a: unknown[]) => void) => ipcListeners.set(ch, fn),
    removeAllListeners: (ch: string) => ipcListeners.delete(ch),
  },
}))

const { createElectronNotifications } = await import('../../src/main/desktop/notifications')
const { registerNotificationsIpc } = await import('../../src/main/ipc/notifications-ipc')
const { IPC } = await import('../../src/main/ipc/channels')
const { createDesktopDeliverer } =
  await import('../../src/renderer/src/features/notifications/desktop-deliverer')

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
const ICON = '/opt/paddock/resources/icon.png'

/** A window that records what is done to it and what it is sent. */
function fakeWindow(minimized = false): {
  win: Parameters<typeof createElectronNotifications>[0] extends () => infer W ? W : never
  calls: string[]
  sent: unknown[][]
} {
  const calls: string[] = []
  const sent: unknown[][] = []
  return {
    calls,
    sent,
    win: {
      isDestroyed: () => false,
      isMinimized: () => minimized,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
      webContents: { send: (...a: unknown[]) => sent.push(a) },
    },
  }
}

const logged: string[] = []
const logger: Logger = { log: (_level, message) => logged.push(message) }
const frame = (url: string, parent: unknown = null): { senderFrame: object } => ({
  senderFrame: { url, parent },
})

beforeEach(() => {
  made.length = 0
  badges.length = 0
  logged.length = 0
  supported = true
  ipcListeners.clear()
})

describe('the desktop notifications adapter', () => {
  it('shows a silent OS notification with the app icon; a click brings the window and names the session', () => {
    const w = fakeWindow(true)
    const n = createElectronNotifications(() => w.win, ICON)
    n.show({ sessionId: 's1', title: 'Fix tests finished', body: 'In project' })
    expect(made).toHaveLength(1)
    expect(made[0]!.options).toEqual({
      title: 'Fix tests finished',
      body: 'In project',
      icon: ICON,
      silent: true,
    })
    expect(made[0]!.shown).toBe(true)
    made[0]!.listeners.get('click')!()
    expect(w.calls).toEqual(['restore', 'show', 'focus'])
    expect(w.sent).toEqual([[IPC.notificationClick, { sessionId: 's1' }]])
  })

  it('keeps one notification per session: a newer one closes the older', () => {
    const w = fakeWindow()
    const n = createElectronNotifications(() => w.win, ICON)
    n.show({ sessionId: 's1', title: 'A is waiting for your approval', body: '' })
    n.show({ sessionId: 's2', title: 'B failed', body: '' })
    n.show({ sessionId: 's1', title: 'A finished', body: '' })
    expect(made.map((m) => [m.options.title, m.closed])).toEqual([
      ['A is waiting for your approval', true],
      ['B failed', false],
      ['A finished', false],
    ])
    n.dispose()
    expect(made.every((m) => m.closed)).toBe(true)
  })

  it('shows nothing where the OS has no notifications; sets the badge only when it changes', () => {
    supported = false
    const n = createElectronNotifications(() => null, ICON)
    n.show({ sessionId: 's1', title: 'x', body: '' })
    expect(made).toEqual([])
    n.setBadge(2)
    n.setBadge(2)
    n.setBadge(0)
    expect(badges).toEqual([2, 0])
  })
})

describe('the notifications IPC', () => {
  it('takes requests only from our window, parsed, and refuses the rest', () => {
    const w = fakeWindow()
    registerNotificationsIpc({
      logger,
      rendererIndexUrl: INDEX,
      notifications: createElectronNotifications(() => w.win, ICON),
    })
    const notify = ipcListeners.get(IPC.notify)!
    const badge = ipcListeners.get(IPC.badge)!
    notify(frame('https://evil.example/'), { sessionId: 's1', title: 'x', body: '' })
    notify(frame(INDEX, { url: INDEX }), { sessionId: 's1', title: 'x', body: '' })
    notify(frame(INDEX), { sessionId: 's1', title: '', body: '' })
    notify(frame(INDEX), { sessionId: 's1', title: 'x', body: '', extra: 1 })
    notify(frame(INDEX), { sessionId: 's1', title: 'x'.repeat(201), body: '' })
    badge(frame('https://evil.example/'), 3)
    badge(frame(INDEX), -1)
    badge(frame(INDEX), 1.5)
    expect(made).toEqual([])
    expect(badges).toEqual([])
    expect(logged).toHaveLength(8)

    notify(frame(INDEX), { sessionId: 's1', title: 'A finished', body: 'In project' })
    badge(frame(INDEX), 3)
    expect(made.map((m) => m.options.title)).toEqual(['A finished'])
    expect(badges).toEqual([3])
  })

  it('round trip: the renderer asks, the OS notification is clicked, the renderer is told which session', () => {
    const w = fakeWindow()
    const dispose = registerNotificationsIpc({
      logger,
      rendererIndexUrl: INDEX,
      notifications: createElectronNotifications(() => w.win, ICON),
    })
    // The preload's part: forward to the main process, and back what the window is sent.
    const clickListeners = new Set<(click: unknown) => void>()
    const clicked: Array<string | null> = []
    const deliverer = createDesktopDeliverer(
      {
        call: () => Promise.resolve(null),
        subscribe: () => () => {},
        openExternal: () => {},
        openLogsFolder: () => {},
        chooseFolder: () => Promise.resolve(null),
        notify: (request) => ipcListeners.get(IPC.notify)!(frame(INDEX), request),
        setBadge: (count) => ipcListeners.get(IPC.badge)!(frame(INDEX), count),
        onNotificationClick: (listener) => {
          clickListeners.add(listener)
          return () => clickListeners.delete(listener)
        },
        onUpdateNotice: () => () => {},
        restartToUpdate: () => Promise.resolve('nothing_ready'),
      },
      (sessionId) => clicked.push(sessionId),
    )
    expect(deliverer.permission()).toBe('granted')
    deliverer.show({ sessionId: 's7', title: 'Refactor is waiting for your approval', body: '' })
    deliverer.setBadge(1)
    expect(badges).toEqual([1])
    made[0]!.listeners.get('click')!()
    expect(w.calls).toEqual(['show', 'focus'])
    for (const [channel, click] of w.sent) {
      if (channel === IPC.notificationClick) for (const l of clickListeners) l(click)
    }
    expect(clicked).toEqual(['s7'])
    // Whatever else arrives on the channel is ignored.
    for (const l of clickListeners) l({ sessionId: 42 })
    expect(clicked).toEqual(['s7'])
    deliverer.dispose()
    expect(clickListeners.size).toBe(0)
    dispose()
    expect(ipcListeners.size).toBe(0)
  })
})
