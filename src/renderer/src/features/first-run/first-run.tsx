import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { JSX, KeyboardEvent } from 'react'
import { latestWorkspace } from '../../../../shared/state'
import { useAppStore } from '../../app/store'
import { useSettingsStore } from '../settings/settings-store'
import { useStoredSettings } from '../settings/stored-settings'
import { ConnectStep } from './connect-step'
import type { FirstRunStep } from './first-run-model'
import { firstRunDue, nextStep, STEP_LABELS, stepsOf } from './first-run-model'
import { FolderStep, StartStep } from './project-steps'

/**
 * Shows the guided setup in the session area when it is due (no provider, not skipped, no session
 * open), behind Settings or the Agents view if one is open. Reads the host's providers once it
 * answers (again when they change or the connection comes back). Renders nothing.
 */
export function FirstRunWhenDue(): null {
  const ready = useAppStore((s) => s.ready)
  const providersVersion = useAppStore((s) => s.providersVersion)
  const resyncs = useAppStore((s) => s.resyncs)
  const openPanes = useAppStore((s) => s.layout.panes.length)
  const providerCount = useSettingsStore((s) => s.providers?.length ?? null)
  const skipped = useStoredSettings((s) =>
    s.values === null ? null : s.values['firstRun.skipped'] === true,
  )
  useEffect(() => {
    if (ready) void useSettingsStore.getState().refresh()
  }, [ready, providersVersion, resyncs])
  const due = firstRunDue({ providerCount, skipped, openPanes })
  useEffect(() => {
    if (due) useAppStore.getState().showFirstRun()
  }, [due])
  return null
}

/**
 * The guided first run: connect a model, open a project folder (left out when one was open as it
 * began), start a session with a suggested first task. Once shown it stays — through the
 * provider its first step saves, under Settings or the Agents view (`hidden`, keeping its place)
 * — until a session opens or it is skipped or closed. Focus moves into it when it appears and
 * back when it goes; Esc closes it unless it is the first-time setup (whose button skips it).
 */
export function FirstRun({ hidden }: { hidden: boolean }): JSX.Element {
  const closeFirstRun = useAppStore((s) => s.closeFirstRun)
  const notify = useAppStore((s) => s.notify)
  const workspace = useAppStore((s) => latestWorkspace(s.host.workspaces))
  const providers = useSettingsStore((s) => s.providers)
  const [steps] = useState(() => stepsOf(workspace !== null))
  const [step, setStep] = useState<FirstRunStep>('connect')
  const [connectedModel, setConnectedModel] = useState<string | null>(null)
  /** Nothing was set up and the setup was never skipped: "Skip setup" (kept), else "Close". */
  const [firstTime] = useState(
    () =>
      (providers?.length ?? 0) === 0 &&
      useStoredSettings.getState().values?.['firstRun.skipped'] !== true,
  )
  const root = useRef<HTMLDivElement>(null)
  const advance = useCallback(
    (from: FirstRunStep) => setStep((at) => (at === from ? (nextStep(steps, from) ?? at) : at)),
    [steps],
  )
  const folderOpened = useCallback(() => advance('folder'), [advance])
  const skips = firstTime && connectedModel === null

  useLayoutEffect(() => {
    if (hidden) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const view = root.current
    // Asked for, it takes the focus; shown because it is due, only when nothing has it (closing
    // Settings over it gives the focus back to the Settings button, not to it).
    const idle = previous === null || previous === document.body
    if ((useAppStore.getState().firstRunAsked || idle) && !view?.contains(previous)) view?.focus()
    return () => {
      const now = document.activeElement
      const ours = now === null || now === document.body || (view?.contains(now) ?? false)
      if (ours && previous?.isConnected && !view?.contains(previous)) previous.focus()
    }
  }, [hidden])

  /** Put the setup away; "Skip setup" also tells the host, so it is not offered again. */
  const close = async (): Promise<void> => {
    closeFirstRun()
    if (!skips) return
    const errors = await useStoredSettings.getState().save({ 'firstRun.skipped': true })
    const problem = errors['firstRun.skipped']
    if (problem)
      notify(`The setup will be offered again: the choice to skip it was not kept (${problem}).`)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key !== 'Escape' || e.defaultPrevented || skips) return
    e.preventDefault()
    void close()
  }

  const current = steps.indexOf(step)
  return (
    <div
      ref={root}
      className="first-run"
      role="region"
      aria-label="Guided setup"
      tabIndex={-1}
      hidden={hidden}
      onKeyDown={onKeyDown}
    >
      <div className="first-run-inner">
        <header className="first-run-header">
          <div>
            <h1>Set up Paddock</h1>
            <p className="muted">
              {steps.length} short steps. Your prompts go only to the model you choose.
            </p>
          </div>
          <button type="button" className="btn btn-ghost" onClick={() => void close()}>
            {skips ? 'Skip setup' : 'Close'}
          </button>
        </header>
        <ol className="first-run-steps">
          {steps.map((s, i) => (
            <li
              key={s}
              className={i < current ? 'is-done' : i === current ? 'is-current' : undefined}
              aria-current={i === current ? 'step' : undefined}
            >
              <span className="first-run-step-number" aria-hidden="true">
                {i < current ? '✓' : i + 1}
              </span>
              {STEP_LABELS[s]}
              {i < current && <span className="settings-sr-only"> (done)</span>}
            </li>
          ))}
        </ol>
        <div role="status">
          {connectedModel !== null && (
            <p className="first-run-done">Connected: new sessions use {connectedModel}.</p>
          )}
        </div>

        {step === 'connect' && (
          <>
            <ConnectStep
              providers={providers ?? []}
              onConnected={(ref) => {
                setConnectedModel(ref)
                advance('connect')
              }}
            />
            {!firstTime && (providers?.length ?? 0) > 0 && (
              <div className="first-run-actions first-run-keep">
                <button type="button" className="btn" onClick={() => advance('connect')}>
                  Keep the models I have and continue
                </button>
              </div>
            )}
          </>
        )}
        {step === 'folder' && <FolderStep onOpened={folderOpened} />}
        {step === 'start' &&
          (workspace !== null ? (
            <StartStep workspace={workspace} />
          ) : (
            <FolderStep onOpened={folderOpened} />
          ))}
      </div>
    </div>
  )
}
