import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { TerminalInfo } from '../../../../shared/terminals'
import { useAppStore } from '../../app/store'
import { FocusHint } from './focus-hint'
import { findInstance, instanceFor, onFind, revealInstance } from './registry'
import { SearchBox } from './search-box'
import { TerminalNotices } from './terminal-notices'
import { useTerminalStore } from './terminal-store'
import { terminalPaneId, terminalTabId } from './terminal-tabs'

/**
 * The shown terminal: its notices, its search box when open, its xterm, which lives in the
 * registry and is only moved in here (and sized to this pane as it resizes), and the hint on how
 * to leave it with the keyboard.
 */
export function TerminalPane({
  info,
  autoFocus,
  restarting,
  onRestart,
}: {
  info: TerminalInfo
  autoFocus: boolean
  restarting: boolean
  onRestart: () => void
}): JSX.Element {
  const { terminalId, sessionId } = info
  const screen = useRef<HTMLDivElement>(null)
  const stage = useRef<HTMLDivElement>(null)
  const [searching, setSearching] = useState(false)
  const problem = useTerminalStore((s) => s.sessions[sessionId]?.problems[terminalId] ?? null)
  const setProblem = useTerminalStore((s) => s.setProblem)
  const reveal = useTerminalStore((s) => (info.kind === 'agent' ? s.reveals[sessionId] : undefined))
  const clearReveal = useTerminalStore((s) => s.clearReveal)
  const inFocusedPane = useAppStore((s) => s.activeTab === sessionId)

  useEffect(() => {
    const el = screen.current
    const current = useTerminalStore
      .getState()
      .sessions[sessionId]?.list?.find((t) => t.terminalId === terminalId)
    if (!el || !current) return
    const instance = instanceFor(current)
    instance.mount(el)
    const observer = new ResizeObserver(() => instance.scheduleFit())
    observer.observe(el)
    const offFind = onFind(terminalId, () => setSearching(true))
    return () => {
      observer.disconnect()
      offFind()
      instance.unmount()
    }
  }, [sessionId, terminalId])

  // Registered after the mount above, so a terminal shown again is paced for its pane.
  useEffect(() => {
    findInstance(terminalId)?.setFocusedPane(inFocusedPane)
  }, [inFocusedPane, terminalId])

  useEffect(() => {
    if (autoFocus) findInstance(terminalId)?.focus()
  }, [autoFocus, terminalId])

  useEffect(() => {
    if (!reveal) return
    revealInstance(sessionId, reveal.toolCallId, reveal.handle)
    clearReveal(sessionId, reveal.nonce)
  }, [reveal, sessionId, clearReveal])

  return (
    <div
      role="tabpanel"
      id={terminalPaneId(sessionId)}
      aria-labelledby={terminalTabId(terminalId)}
      className="terminal-pane"
      data-status={info.status}
    >
      <TerminalNotices
        info={info}
        problem={problem}
        restarting={restarting}
        onRestart={onRestart}
        onDismissProblem={() => setProblem(sessionId, terminalId, null)}
      />
      <div ref={stage} className="terminal-stage">
        {searching && <SearchBox terminalId={terminalId} onClose={() => setSearching(false)} />}
        <div ref={screen} className="terminal-screen" />
        <FocusHint area={stage} />
      </div>
    </div>
  )
}
