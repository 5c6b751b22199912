import { useEffect, useId, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { SandboxStatus } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'

/** The shield's words for a status. */
export function shieldLabel(s: SandboxStatus): { text: string; tone: 'on' | 'off' | 'warn' } {
  if (s.mode === 'off') return { text: 'Unsandboxed', tone: 'off' }
  if (s.unavailable) return { text: 'Sandbox cannot start', tone: 'warn' }
  return { text: s.network ? 'Sandboxed · network' : 'Sandboxed', tone: 'on' }
}

function ShieldIcon(): JSX.Element {
  return (
    <svg className="icon" width="14" height="14" viewBox="0 0 16 16" fill="none" aria-hidden="true">
      <path
        d="M8 1.5 13.5 3.5v4c0 3.3-2.3 5.9-5.5 7-3.2-1.1-5.5-3.7-5.5-7v-4Z"
        stroke="currentColor"
        strokeWidth="1.2"
        strokeLinejoin="round"
      />
    </svg>
  )
}

/**
 * The sandbox of the agent's shell, as a shield in the session header: its mode, and a menu to
 * choose it (writes the `sandbox.*` settings; the agent's next shell starts with it). When the
 * sandbox cannot start here, it says why and how to fix it; choosing Off is agreeing to run
 * commands unconfined.
 */
export function SandboxShield({
  compact = false,
}: {
  /** Beside other panes: the shield alone, its words in the tooltip and the accessible name. */
  compact?: boolean
}): JSX.Element | null {
  const [status, setStatus] = useState<SandboxStatus | null>(null)
  const [open, setOpen] = useState(false)
  const [changed, setChanged] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const id = useId()

  useEffect(() => {
    let live = true
    void getClient()
      .call('sandbox.status', {})
      .then((s) => live && setStatus(s))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    if (!open) return
    const onDown = (e: PointerEvent): void => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onDown)
    return () => document.removeEventListener('pointerdown', onDown)
  }, [open])

  if (!status) return null
  const label = shieldLabel(status)
  const set = async (key: 'sandbox.mode' | 'sandbox.network', value: string): Promise<void> => {
    const client = getClient()
    await client.call('settings.set', { key, value })
    setStatus(await client.call('sandbox.status', {}))
    setChanged(true)
  }
  const description =
    status.mode === 'off'
      ? `The agent's commands run with your permissions, unconfined.${status.unavailable ? ` ${status.unavailable}` : ''}`
      : status.unavailable
        ? status.unavailable
        : `Writes only to this session's folder and a private /tmp; network ${status.network ? 'on' : 'off'}; your keys and other sessions hidden.`

  return (
    <div className="sandbox-shield" ref={root}>
      <button
        type="button"
        className={`shield-button tone-${label.tone}`}
        aria-label={`Sandbox: ${label.text}`}
        aria-expanded={open}
        aria-controls={id}
        title={compact ? `${label.text}: ${description}` : description}
        onClick={() => setOpen(!open)}
      >
        <ShieldIcon />
        {!compact && <span>{label.text}</span>}
      </button>
      <div
        id={id}
        role="dialog"
        aria-label="Sandbox"
        className="shield-menu"
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation()
            setOpen(false)
          }
        }}
      >
        <p className="shield-description">{description}</p>
        <fieldset>
          <legend>The agent&rsquo;s shell</legend>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={status.mode === 'workspace-write'}
              onChange={() => void set('sandbox.mode', 'workspace-write')}
            />
            Sandboxed: writes only to the session&rsquo;s folder
          </label>
          <label>
            <input
              type="radio"
              name={`${id}-mode`}
              checked={status.mode === 'off'}
              onChange={() => void set('sandbox.mode', 'off')}
            />
            Off: run commands unconfined
          </label>
          <label>
            <input
              type="checkbox"
              checked={status.network}
              disabled={status.mode === 'off'}
              onChange={(e) => void set('sandbox.network', e.target.checked ? 'on' : 'off')}
            />
            Allow the network
          </label>
        </fieldset>
        {changed && (
          <p className="shield-note" role="status">
            The agent&rsquo;s next shell starts this way: restart its shell in the Terminal panel to
            apply it now.
          </p>
        )}
      </div>
    </div>
  )
}
