import { useCallback, useEffect, useState } from 'react'
import type { JSX } from 'react'
import { useAppStore } from '../../app/store'
import { useSettingsStore } from '../settings/settings-store'
import { useStoredSettings } from '../settings/stored-settings'
import { ConnectStep } from './connect-step'
import type { FirstRunStep } from './first-run-model'
import { firstRunDue, nextStep, STEP_LABELS, stepsOf } from './first-run-model'
import { FolderStep, latestWorkspace, StartStep } from './project-steps'

/**
 * Opens the guided setup by itself when it is due (no provider, not skipped, no session open):
 * reads the host's providers once it answers (again when they change or the connection comes
 * back) and the stored "skipped" setting. Once open it stays until it is finished or skipped,
 * though the first step already added a provider.
 */
export function useFirstRunWhenDue(): void {
  const ready = useAppStore((s) => s.ready)
  const providersVersion = useAppStore((s) => s.providersVersion)
  const resyncs = useAppStore((s) => s.resyncs)
  const openPanes = useAppStore((s) => s.layout.panes.length)
  const providers = useSettingsStore((s) => s.providers)
  const values = useStoredSettings((s) => s.values)
  useEffect(() => {
    if (ready) void useSettingsStore.getState().refresh()
  }, [ready, providersVersion, resyncs])
  const due = firstRunDue({
    providerCount: providers?.length ?? null,
    skipped: values === null ? null : values['firstRun.skipped'] === true,
    openPanes,
  })
  useEffect(() => {
    if (due && !useAppStore.getState().firstRunOpen) useAppStore.getState().openFirstRun()
  }, [due])
}

/**
 * The guided first run: connect a model, open a project folder (skipped when one was open as it
 * began), start a session with a suggested first task. Skippable at any step; Settings →
 * Providers and the command palette bring it back.
 */
export function FirstRun(): JSX.Element {
  const closeFirstRun = useAppStore((s) => s.closeFirstRun)
  const workspace = useAppStore((s) => latestWorkspace(s.host.workspaces))
  const providers = useSettingsStore((s) => s.providers)
  const [steps] = useState(() => stepsOf(workspace !== null))
  /** Nothing is set up and the setup was never skipped: "Skip setup", else "Close". */
  const [firstTime] = useState(
    () =>
      (providers?.length ?? 0) === 0 &&
      useStoredSettings.getState().values?.['firstRun.skipped'] !== true,
  )
  const [step, setStep] = useState<FirstRunStep>('connect')
  const [connectedModel, setConnectedModel] = useState<string | null>(null)
  const [skipError, setSkipError] = useState<string | null>(null)
  const taken = ['env', ...(providers ?? []).map((p) => p.name)]
  const advance = useCallback(
    (from: FirstRunStep) => setStep((at) => (at === from ? (nextStep(steps, from) ?? at) : at)),
    [steps],
  )
  const folderOpened = useCallback(() => advance('folder'), [advance])

  const skip = async (): Promise<void> => {
    const errors = await useStoredSettings.getState().save({ 'firstRun.skipped': true })
    const problem = errors['firstRun.skipped']
    if (problem) {
      setSkipError(`Could not skip the setup: ${problem}`)
      return
    }
    closeFirstRun()
  }

  const current = steps.indexOf(step)
  return (
    <div className="first-run" role="region" aria-label="Guided setup">
      <div className="first-run-inner">
        <header className="first-run-header">
          <div>
            <h1>Set up Paddock</h1>
            <p className="muted">
              {steps.length} short steps. Your prompts go only to the model you choose.
            </p>
          </div>
          <button type="button" className="btn btn-ghost" onClick={() => void skip()}>
            {firstTime && connectedModel === null ? 'Skip setup' : 'Close'}
          </button>
        </header>
        {skipError && (
          <p role="alert" className="settings-error">
            {skipError}
          </p>
        )}
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
            </li>
          ))}
        </ol>
        {connectedModel !== null && step !== 'connect' && (
          <p className="first-run-done" role="status">
            Connected: new sessions use {connectedModel}.
          </p>
        )}

        {step === 'connect' && (
          <>
            <ConnectStep
              taken={taken}
              onConnected={(ref) => {
                setConnectedModel(ref)
                advance('connect')
              }}
            />
            {(providers?.length ?? 0) > 0 && (
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
