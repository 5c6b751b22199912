import type { ReactElement } from 'react'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Logger } from '../../src/main/core/logger'
import type { RestartOutcome, UpdateNotice } from '../../src/shared/update-bridge'

// Electron cannot run here: ipcMain is a recording double, behind the thin adapter of
// src/main/ipc/ (docs/CONVENTIONS.md, "Tests").
const handlers = new Map<string, (...args: unknown[]) => unknown>()
vi.mock('electron', () => ({
  ipcMain: {
    handle: (ch: string, fn: (...a: unknown[]) => unknown) => handlers.set(ch, fn),
    removeHandler: (ch: string) => handlers.delete(ch),
  },
}))

const { registerUpdatesIpc } = await import('../../src/main/ipc/updates-ipc')
const { IPC } = await import('../../src/main/ipc/channels')

interface ViewProps {
  version: string
  agentsRunning: boolean
  outcome: RestartOutcome | null
  onRestart(): void
  onLater(): void
}
// The view is TSX, which the Node-side type check does not compile: loaded by path.
const viewModule = new URL(
  '../../src/renderer/src/features/updates/update-banner-view.tsx',
  import.meta.url,
).href
const { UpdateBannerView } = (await import(/* @vite-ignore */ viewModule)) as {
  UpdateBannerView: (props: ViewProps) => ReactElement
}

const render = (props: Partial<ViewProps>): string =>
  renderToStaticMarkup(
    createElement(UpdateBannerView, {
      version: '1.4.0',
      agentsRunning: false,
      outcome: null,
      onRestart: () => {},
      onLater: () => {},
      ...props,
    }),
  )

describe('the "Restart to update" banner', () => {
  it('offers the restart when no agent runs', () => {
    const html = render({})
    expect(html).toContain('role="status"')
    expect(html).toContain('Paddock 1.4.0 is ready to install.')
    expect(html).toContain('>Restart to update</button>')
    expect(html).toContain('>Later</button>')
  })

  it('does not offer it while an agent runs, and says what to do instead', () => {
    const html = render({ agentsRunning: true })
    expect(html).not.toContain('Restart to update')
    expect(html).toContain('Restart once your agents finish, or quit Paddock to install it.')
  })

  it('says why when the main process refused because an agent started', () => {
    const html = render({ outcome: 'agents_running' })
    expect(html).toContain('Restart once your agents finish')
  })
})

const INDEX = 'file:///opt/paddock/out/renderer/index.html'
const logger: Logger = { log: () => {} }
const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } })

describe('the update IPC', () => {
  let notice: UpdateNotice
  let restarts: number
  let dispose: () => void
  beforeEach(() => {
    notice = { version: '1.4.0' }
    restarts = 0
    dispose = registerUpdatesIpc({
      logger,
      rendererIndexUrl: INDEX,
      notice: () => notice,
      restart: () => {
        restarts++
        return Promise.resolve('restarting')
      },
    })
  })

  it("answers our window's page with the waiting update and passes its restart request on", async () => {
    expect(handlers.get(IPC.updateGet)!(event(INDEX))).toEqual({ version: '1.4.0' })
    expect(await handlers.get(IPC.updateRestart)!(event(INDEX))).toBe('restarting')
    expect(restarts).toBe(1)
    dispose()
    expect(handlers.has(IPC.updateGet)).toBe(false)
  })

  it('refuses another page or a sub-frame', async () => {
    expect(handlers.get(IPC.updateGet)!(event('https://evil.example/'))).toBeNull()
    expect(await handlers.get(IPC.updateRestart)!(event(INDEX, { url: INDEX }))).toBe(
      'nothing_ready',
    )
    expect(restarts).toBe(0)
    dispose()
  })
})
