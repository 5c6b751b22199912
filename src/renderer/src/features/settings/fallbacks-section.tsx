import { useEffect, useMemo, useRef, useState } from 'react'
import { SaveBar } from './save-bar'
import type { FormEvent, JSX } from 'react'
import { DEFAULT_FALLBACK_COOLDOWN_MINUTES } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { PlusIcon } from '../../lib/ui/icons'
import '../../styles/settings-fallbacks.css'
import { FallbackChain } from './fallback-chain'
import type { ChainErrors, DraftChain, FallbackChains } from './fallbacks-draft'
import {
  chainErrors,
  chainsOf,
  draftOf,
  emptyChain,
  hasErrors,
  sameChains,
} from './fallbacks-draft'
import { describedBy, Field } from './field'
import { useSettingsStore } from './settings-store'
import type { SettingChanges } from './stored-settings'
import { settingError, useStoredSettings } from './stored-settings'

const NO_CHAINS: FallbackChains = {}
const COOLDOWN = 'models.fallbackCooldownMinutes'
const COOLDOWN_ID = 'fallbacks-cooldown'

/**
 * Fallbacks: `models.fallbacks` as a list of chains (a model, then up to three fallbacks in the
 * order they are tried) and `models.fallbackCooldownMinutes`, saved together. Every chain is
 * checked with the contract's own schema before anything is sent (the host checks it again), and
 * a refused one is explained under the picker it is about.
 */
export function FallbacksSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problems = useStoredSettings((s) => s.problems)
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const models = useSettingsStore((s) => s.models)
  const refreshModels = useSettingsStore((s) => s.refresh)
  const providersVersion = useAppStore((s) => s.providersVersion)
  const openSettings = useAppStore((s) => s.openSettings)

  const stored = values?.['models.fallbacks'] ?? NO_CHAINS
  const storedCooldown = values?.[COOLDOWN]
  const storedCooldownText = storedCooldown === undefined ? '' : String(storedCooldown)
  const [rows, setRows] = useState<DraftChain[] | null>(null)
  const [cooldownText, setCooldownText] = useState<string | null>(null)
  const [errors, setErrors] = useState<ReadonlyMap<number, ChainErrors>>(new Map())
  const [cooldownError, setCooldownError] = useState<string | null>(null)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [status, setStatus] = useState('')
  const [saving, setSaving] = useState(false)
  const addRef = useRef<HTMLButtonElement>(null)
  const listRef = useRef<HTMLUListElement>(null)

  useEffect(() => {
    void load()
  }, [load])
  useEffect(() => {
    void refreshModels()
  }, [refreshModels, providersVersion])

  /**
   * Where focus goes once a change is drawn, as rows move and disappear under the keyboard: the
   * element a selector finds in the list; `null`, or nothing found, is the Add model button.
   */
  const pendingFocus = useRef<string | null | undefined>(undefined)
  useEffect(() => {
    const selector = pendingFocus.current
    if (selector === undefined) return
    pendingFocus.current = undefined
    const target = selector === null ? null : listRef.current?.querySelector<HTMLElement>(selector)
    ;(target ?? addRef.current)?.focus()
  })
  const focusLater = (selector: string | null): void => {
    pendingFocus.current = selector
  }

  // The chains and the cooldown follow the stored values until the user edits them.
  const storedRows = useMemo(() => draftOf(stored), [stored])
  const shown = rows ?? storedRows
  const cooldown = cooldownText ?? storedCooldownText
  const chainsChanged = rows !== null && !sameChains(rows, stored)
  const cooldownChanged = cooldown.trim() !== storedCooldownText
  const changed = chainsChanged || cooldownChanged
  const ready = values !== null

  const edit = (next: DraftChain[]): void => {
    setRows(next)
    setStatus('')
    setSaveError(null)
    // An error goes away once its chain is fixed; new ones wait for Save.
    if (errors.size > 0) {
      const still = new Map<number, ChainErrors>()
      for (const row of next) {
        if (!errors.has(row.id)) continue
        const e = chainErrors(row)
        if (hasErrors(e)) still.set(row.id, e)
      }
      setErrors(still)
    }
  }
  const addChain = (): void => {
    const row = emptyChain()
    edit([...shown, row])
    focusLater(`#chain-${row.id}-model`)
  }
  const removeChain = (index: number): void => {
    const next = shown.filter((_, i) => i !== index)
    edit(next)
    const neighbour = next[Math.min(index, next.length - 1)]
    focusLater(neighbour ? `#chain-${neighbour.id}-model` : null)
  }

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    if (!ready || saving) return
    if (!changed) {
      setStatus('Nothing to save.')
      return
    }
    const found = new Map<number, ChainErrors>()
    for (const row of shown) {
      const e = chainErrors(row)
      if (hasErrors(e)) found.set(row.id, e)
    }
    const cooldownValue = cooldown.trim() === '' ? undefined : Number(cooldown.trim())
    const badCooldown =
      cooldownValue === undefined
        ? null
        : Number.isFinite(cooldownValue)
          ? settingError(COOLDOWN, cooldownValue)
          : 'must be a number of minutes'
    setErrors(found)
    setCooldownError(badCooldown)
    const firstBad = shown.find((r) => found.has(r.id))
    if (firstBad || badCooldown) {
      setStatus('')
      setSaveError('Nothing was saved: fix what is marked below.')
      document
        .getElementById(firstBad ? firstInvalid(firstBad, found.get(firstBad.id)!) : COOLDOWN_ID)
        ?.focus()
      return
    }
    const changes: SettingChanges = {}
    if (chainsChanged) {
      const chains = chainsOf(shown)
      changes['models.fallbacks'] = Object.keys(chains).length > 0 ? chains : undefined
    }
    if (cooldownChanged) changes[COOLDOWN] = cooldownValue
    setSaving(true)
    const refused = await save(changes)
    setSaving(false)
    if (refused[COOLDOWN]) setCooldownError(refused[COOLDOWN])
    const why = refused['models.fallbacks']
    if (why || refused[COOLDOWN]) {
      setSaveError(why ? `Not saved: ${why}` : 'Nothing was saved: fix what is marked below.')
      return
    }
    setRows(null)
    setCooldownText(null)
    setSaveError(null)
    setStatus('Saved.')
  }

  const problem = problems['models.fallbacks']
  const cooldownShownError = cooldownError ?? problems[COOLDOWN]
  const tooFewModels = models.length < 2

  return (
    <form
      className="settings-group"
      aria-labelledby="fallbacks-title"
      noValidate
      onSubmit={(e) => void onSubmit(e)}
    >
      <div className="settings-group-header">
        <div>
          <h3 id="fallbacks-title">Fallback models</h3>
          <p className="muted" id="fallbacks-when">
            When a model is out of quota, overloaded (after its retries) or not found, the run goes
            on with the first of its fallbacks whose context window holds the session — compacted
            first if it must — and goes back to the model after the cooldown. Any other failure ends
            the run as before.
          </p>
        </div>
        <button
          ref={addRef}
          type="button"
          className="btn btn-primary"
          disabled={!ready || tooFewModels}
          onClick={addChain}
        >
          <PlusIcon />
          <span>Add model</span>
        </button>
      </div>
      {loadError !== null && (
        <div role="alert" className="settings-load-error">
          <p>Could not read the settings: {loadError}</p>
          <button type="button" className="btn" onClick={() => void load()}>
            Retry
          </button>
        </div>
      )}
      {problem && (
        <p className="settings-error">
          The stored fallbacks are not valid ({problem}); saving replaces them.
        </p>
      )}
      {saveError && (
        <p role="alert" className="settings-error fallbacks-save-error">
          {saveError}
        </p>
      )}
      {!ready && loadError === null ? (
        <p className="muted settings-empty fallbacks-empty">Loading the fallbacks…</p>
      ) : shown.length === 0 ? (
        <div className="muted settings-empty fallbacks-empty">
          {tooFewModels ? (
            <>
              <p>Fallbacks need at least two models: add a provider first.</p>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => openSettings('providers')}
              >
                Open Providers
              </button>
            </>
          ) : (
            <p>No fallbacks yet: a model that fails this way ends the run.</p>
          )}
        </div>
      ) : (
        <ul ref={listRef} className="fallback-chains">
          {shown.map((row, index) => (
            <FallbackChain
              key={row.id}
              row={row}
              models={models}
              takenModels={new Set(shown.filter((r) => r.id !== row.id).map((r) => r.model))}
              errors={errors.get(row.id) ?? {}}
              onChange={(next) => edit(shown.map((r) => (r.id === row.id ? next : r)))}
              onRemove={() => removeChain(index)}
              focusLater={focusLater}
            />
          ))}
        </ul>
      )}

      <Field
        id={COOLDOWN_ID}
        label="Cooldown"
        error={cooldownShownError}
        help={`How long a session stays on a fallback before it tries its own model again, from when that model failed. Empty: ${DEFAULT_FALLBACK_COOLDOWN_MINUTES} minutes; 0: at every next model call.`}
      >
        <div className="settings-input-unit is-number">
          <input
            id={COOLDOWN_ID}
            className="text-input"
            type="text"
            inputMode="decimal"
            spellCheck={false}
            autoComplete="off"
            placeholder={`Default (${DEFAULT_FALLBACK_COOLDOWN_MINUTES})`}
            disabled={!ready}
            value={cooldown}
            aria-invalid={cooldownShownError ? true : undefined}
            aria-describedby={describedBy(COOLDOWN_ID, { help: true, error: cooldownShownError })}
            onChange={(e) => {
              setCooldownText(e.target.value)
              setStatus('')
              setCooldownError(null)
              if (!errors.size) setSaveError(null)
            }}
          />
          <span className="settings-unit">minutes</span>
        </div>
      </Field>

      <SaveBar
        ready={ready}
        changed={changed}
        saving={saving}
        status={status}
        onRevert={() => {
          setRows(null)
          setCooldownText(null)
          setErrors(new Map())
          setCooldownError(null)
          setSaveError(null)
          setStatus('')
        }}
      />
    </form>
  )
}

/** The id of the first control to fix in a chain: its model, a fallback, else its Add button. */
function firstInvalid(row: DraftChain, e: ChainErrors): string {
  if (e.model) return `chain-${row.id}-model`
  const f = row.fallbacks.find((g) => e.fallbacks?.[g.id])
  return f ? `chain-${row.id}-fallback-${f.id}` : `chain-${row.id}-add`
}
