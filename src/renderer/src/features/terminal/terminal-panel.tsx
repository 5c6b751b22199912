import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { Session } from '../../../../shared/model'
import { errorMessage } from '../../lib/api/error-message'
import { getClient } from '../../lib/api/client'
import { AlertIcon, CloseIcon, PlusIcon } from '../../lib/ui/icons'
import { EmptyState } from '../../lib/ui/panel'
import '../../styles/terminal.css'
import { disposeInstance, findInstance, followSession, loadTerminals } from './registry'
import { activeTabOf, tabAfterClose } from './tabs'
import { TerminalPane } from './terminal-pane'
import { emptySessionTerminals, useTerminalStore } from './terminal-store'
import { TerminalTabs } from './terminal-tabs'
import { exposeForTests } from './test-hooks'

/**
 * The Terminal panel of a session: the agent's shell and the user's terminals as tabs, a "New
 * terminal" button, and the shown terminal. Its state lives in the terminal store and registry, so
 * switching session tabs and back keeps every terminal as it was.
 */
export function TerminalPanel({ session }: { session: Session }): JSX.Element {
  const sessionId = session.id
  const state = useTerminalStore((s) => s.sessions[sessionId]) ?? emptySessionTerminals()
  const store = useTerminalStore.getState
  const [panelError, setPanelError] = useState<string | null>(null)
  const [busy, setBusy] = useState<'create' | 'restart' | null>(null)
  /** A terminal to focus when it shows (one the user just opened or restarted). */
  const [focusId, setFocusId] = useState<string | null>(null)

  useEffect(() => {
    exposeForTests()
    followSession(sessionId)
    if (useTerminalStore.getState().sessions[sessionId]?.list == null) void loadTerminals(sessionId)
  }, [sessionId])

  const list = state.list
  const ids = list?.map((t) => t.terminalId) ?? []
  const active = activeTabOf(ids, state.active)
  const activeInfo = list?.find((t) => t.terminalId === active) ?? null

  const select = (terminalId: string): void => store().setActive(sessionId, terminalId)

  const create = async (): Promise<void> => {
    setBusy('create')
    setPanelError(null)
    try {
      const size = active !== null ? findInstance(active)?.term : undefined
      const info = await getClient().call('terminals.create', {
        sessionId,
        ...(size ? { cols: size.cols, rows: size.rows } : {}),
      })
      store().upsert(info)
      store().setActive(sessionId, info.terminalId)
      setFocusId(info.terminalId)
    } catch (err) {
      setPanelError(`Could not open a terminal: ${errorMessage(err)}`)
    } finally {
      setBusy(null)
    }
  }

  const close = async (terminalId: string): Promise<void> => {
    setPanelError(null)
    try {
      await getClient().call('terminals.close', { terminalId })
      const next = tabAfterClose(ids, active, terminalId)
      store().remove(sessionId, terminalId)
      store().setActive(sessionId, next)
      disposeInstance(terminalId)
      if (next !== null) setFocusId(next)
    } catch (err) {
      setPanelError(`Could not close the terminal: ${errorMessage(err)}`)
    }
  }

  const restart = async (terminalId: string): Promise<void> => {
    setBusy('restart')
    store().setProblem(sessionId, terminalId, null)
    try {
      const info = await getClient().call('terminals.restart', { terminalId })
      store().upsert(info)
      findInstance(terminalId)?.focus()
    } catch (err) {
      store().setProblem(sessionId, terminalId, `Could not restart: ${errorMessage(err)}`)
    } finally {
      setBusy(null)
    }
  }

  return (
    <section role="region" aria-label="Terminal" className="panel terminal-panel">
      <header className="panel-header terminal-header">
        <h2>Terminal</h2>
        {list !== null && list.length > 0 && (
          <TerminalTabs
            sessionId={sessionId}
            list={list}
            active={active}
            onSelect={select}
            onClose={(id) => void close(id)}
          />
        )}
        <button
          type="button"
          className="icon-btn terminal-new"
          aria-label="New terminal"
          title="New terminal"
          disabled={list === null || busy === 'create'}
          onClick={() => void create()}
        >
          <PlusIcon />
        </button>
      </header>
      <div className="terminal-body">
        {panelError !== null && (
          <div role="alert" className="terminal-bar is-error">
            <AlertIcon />
            <span className="terminal-bar-text">{panelError}</span>
            <button
              type="button"
              className="icon-btn"
              aria-label="Dismiss"
              title="Dismiss"
              onClick={() => setPanelError(null)}
            >
              <CloseIcon />
            </button>
          </div>
        )}
        {state.error !== null ? (
          <EmptyState>
            <div className="terminal-unavailable" role="alert">
              <p>The session&apos;s terminals could not be opened: {state.error}</p>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => {
                  store().setError(sessionId, null)
                  void loadTerminals(sessionId)
                }}
              >
                Try again
              </button>
            </div>
          </EmptyState>
        ) : activeInfo === null ? (
          <EmptyState>
            <p role="status">
              <span className="spinner terminal-inline-spinner" aria-hidden="true" />
              Starting the session&apos;s shell…
            </p>
          </EmptyState>
        ) : (
          <TerminalPane
            key={activeInfo.terminalId}
            info={activeInfo}
            autoFocus={focusId === activeInfo.terminalId}
            restarting={busy === 'restart'}
            onRestart={() => void restart(activeInfo.terminalId)}
          />
        )}
      </div>
    </section>
  )
}
