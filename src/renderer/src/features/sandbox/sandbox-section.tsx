import { useCallback, useEffect, useId, useState } from 'react'
import type { JSX } from 'react'
import type { SandboxStatus } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { useStoredSettings } from '../settings/stored-settings'

const MODES: ReadonlyArray<{ value: SandboxStatus['mode']; label: string; help: string }> = [
  {
    value: 'workspace-write',
    label: 'Workspace write',
    help: 'Writes only to the session’s folder and a private /tmp; your keys, ~/.ssh and other sessions are out of sight.',
  },
  {
    value: 'off',
    label: 'Off',
    help: 'The agent’s commands run with your permissions, unconfined.',
  },
]

/**
 * Settings → Sandbox: the mode of the agent's shell and whether it may use the network (the
 * `sandbox.*` settings, as the session header's shield sets them), and why it cannot start here
 * when it cannot. A choice applies to agent shells started from then on.
 */
export function SandboxSection(): JSX.Element {
  const [status, setStatus] = useState<SandboxStatus | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState('')
  /** The choice just made, shown while the host stores it. */
  const [picked, setPicked] = useState<{ mode?: SandboxStatus['mode']; network?: boolean }>({})
  const mode = picked.mode ?? status?.mode
  const network = picked.network ?? status?.network ?? false
  const name = useId()

  const read = useCallback(
    (): Promise<void> =>
      getClient()
        .call('sandbox.status', {})
        .then(setStatus, (err: unknown) =>
          setError(`Could not read the sandbox: ${errorMessage(err)}`),
        ),
    [],
  )
  useEffect(() => {
    read().catch(() => undefined)
  }, [read])

  const set = async (key: 'sandbox.mode' | 'sandbox.network', value: string): Promise<void> => {
    setError(null)
    setSaved('')
    setPicked(
      key === 'sandbox.mode'
        ? { mode: value as SandboxStatus['mode'] }
        : { network: value === 'on' },
    )
    try {
      await getClient().call('settings.set', { key, value })
      await read()
      // The other settings views read the stored values again.
      void useStoredSettings.getState().load()
      setSaved('Saved: agent shells started from now on use it.')
    } catch (err) {
      setError(`Could not save: ${errorMessage(err)}`)
    } finally {
      setPicked({})
    }
  }

  return (
    <>
      <fieldset className="settings-fieldset" disabled={status === null}>
        <legend>Mode</legend>
        {MODES.map((m) => (
          <label key={m.value} className="settings-radio">
            <input
              type="radio"
              name={name}
              value={m.value}
              checked={mode === m.value}
              onChange={() => void set('sandbox.mode', m.value)}
            />
            <span>{m.label}</span>
            <span className="muted"> — {m.help}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="settings-fieldset" disabled={status === null || mode === 'off'}>
        <legend>Network</legend>
        <label className="settings-radio">
          <input
            type="checkbox"
            checked={network}
            onChange={(e) => void set('sandbox.network', e.target.checked ? 'on' : 'off')}
          />
          <span>Let sandboxed commands use the network</span>
          <span className="muted">
            {' '}
            — for package installs and API calls; off, only an isolated loopback.
          </span>
        </label>
      </fieldset>
      {status?.unavailable && mode !== 'off' && (
        <p role="alert" className="panel-error">
          The sandbox cannot start here: {status.unavailable} Until it can, the agent’s shell does
          not start; choosing Off runs its commands unconfined.
        </p>
      )}
      {error !== null && (
        <p role="alert" className="panel-error">
          {error}
        </p>
      )}
      <p role="status" className="muted">
        {saved}
      </p>
    </>
  )
}
