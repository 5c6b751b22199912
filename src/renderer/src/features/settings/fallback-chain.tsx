import type { JSX } from 'react'
import type { ModelChoice } from '../../../../shared/contract'
import { MAX_FALLBACKS } from '../../../../shared/contract'
import { ArrowUpIcon, PlusIcon, TrashIcon } from '../../lib/ui/icons'
import type { ChainErrors, DraftChain } from './fallbacks-draft'
import { emptyFallback, moved } from './fallbacks-draft'
import { describedBy } from './field'
import { ModelOptions, optionLabel } from './model-options'

/**
 * A ref the picker's list does not offer but the draft holds — a model no provider offers any more
 * (kept, marked), or one left out of this list (the chain's own model, picked before its model
 * changed) — so the picker still shows what is there and the error under it makes sense.
 */
function HeldOption({
  value,
  models,
  offered,
}: {
  value: string
  models: readonly ModelChoice[]
  offered: readonly ModelChoice[]
}): JSX.Element | null {
  if (value === '' || offered.some((m) => m.ref === value)) return null
  const known = models.find((m) => m.ref === value)
  return <option value={value}>{known ? optionLabel(known) : `${value} (not available)`}</option>
}

/** The chain's accessible name: the model it is for, once one is picked. */
export function chainName(row: DraftChain): string {
  return row.model === '' ? 'Fallbacks of a new model' : `Fallbacks of ${row.model}`
}

/**
 * One model's fallback chain: the model, then its fallbacks in the order they are tried, each
 * moved up or down or removed with buttons that keep the keyboard focus in the chain. The model
 * picker leaves out the models other chains are for; a fallback picker leaves out the model itself.
 */
export function FallbackChain({
  row,
  models,
  takenModels,
  errors,
  onChange,
  onRemove,
  focusLater,
}: {
  row: DraftChain
  /** Every configured model (`models.list`). */
  models: readonly ModelChoice[]
  /** The models other chains are for. */
  takenModels: ReadonlySet<string>
  errors: ChainErrors
  onChange(row: DraftChain): void
  onRemove(): void
  /** Focus the element `selector` finds in the list once the change is drawn. */
  focusLater(selector: string): void
}): JSX.Element {
  const modelId = `chain-${row.id}-model`
  const forModel = models.filter((m) => !takenModels.has(m.ref))
  const forFallback = models.filter((m) => m.ref !== row.model)
  const here = `[data-chain="${row.id}"]`
  const setFallbacks = (fallbacks: DraftChain['fallbacks']): void => onChange({ ...row, fallbacks })

  const move = (index: number, delta: number): void => {
    const f = row.fallbacks[index]!
    const next = moved(row.fallbacks, index, delta)
    setFallbacks(next)
    const at = index + delta
    const edge = delta < 0 ? at === 0 : at === next.length - 1
    focusLater(`${here} [data-fallback="${f.id}"] [data-move="${edge ? -delta : delta}"]`)
  }
  const remove = (index: number): void => {
    const next = row.fallbacks.filter((_, i) => i !== index)
    setFallbacks(next)
    const neighbour = next[Math.min(index, next.length - 1)]
    focusLater(
      neighbour ? `${here} [data-fallback="${neighbour.id}"] [data-remove]` : `${here} [data-add]`,
    )
  }
  const add = (): void => {
    const f = emptyFallback()
    setFallbacks([...row.fallbacks, f])
    focusLater(`#chain-${row.id}-fallback-${f.id}`)
  }

  return (
    <li
      className={errors.chain ? 'fallback-chain has-error' : 'fallback-chain'}
      data-chain={row.id}
      role="group"
      aria-label={chainName(row)}
    >
      <div className="fallback-chain-head">
        <label htmlFor={modelId} className="fallback-label">
          Model
        </label>
        <div className="fallback-chain-model">
          <select
            id={modelId}
            className="text-input settings-select fallback-select"
            value={row.model}
            aria-invalid={errors.model ? true : undefined}
            aria-describedby={describedBy(modelId, { error: errors.model })}
            onChange={(e) => onChange({ ...row, model: e.target.value })}
          >
            <option value="" disabled>
              Choose a model…
            </option>
            <HeldOption value={row.model} models={models} offered={forModel} />
            <ModelOptions models={forModel} />
          </select>
          {errors.model && (
            <p id={`${modelId}-error`} className="settings-field-error">
              {errors.model}
            </p>
          )}
        </div>
        <button
          type="button"
          className="btn btn-ghost btn-small fallback-chain-remove"
          aria-label={row.model === '' ? 'Remove this new model' : `Remove ${row.model}`}
          title="Remove this model and its fallbacks"
          onClick={onRemove}
        >
          <TrashIcon />
          <span>Remove</span>
        </button>
      </div>

      <ol className="fallback-list" aria-label="Fallbacks, in the order they are tried">
        {row.fallbacks.map((f, index) => {
          const n = index + 1
          const id = `chain-${row.id}-fallback-${f.id}`
          const error = errors.fallbacks?.[f.id]
          return (
            <li
              key={f.id}
              data-fallback={f.id}
              className={error ? 'fallback-row has-error' : 'fallback-row'}
            >
              <label htmlFor={id} className="fallback-label">
                Fallback {n}
              </label>
              <div className="fallback-row-control">
                <select
                  id={id}
                  className="text-input settings-select fallback-select"
                  value={f.ref}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={describedBy(id, { error })}
                  onChange={(e) =>
                    setFallbacks(
                      row.fallbacks.map((g) => (g.id === f.id ? { ...g, ref: e.target.value } : g)),
                    )
                  }
                >
                  <option value="" disabled>
                    Choose a fallback…
                  </option>
                  <HeldOption value={f.ref} models={models} offered={forFallback} />
                  <ModelOptions models={forFallback} />
                </select>
                {error && (
                  <p id={`${id}-error`} className="settings-field-error">
                    {error}
                  </p>
                )}
              </div>
              <div className="fallback-row-actions">
                <button
                  type="button"
                  className="icon-btn"
                  data-move="-1"
                  aria-label={`Move fallback ${n} up`}
                  title="Move up (tried earlier)"
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <ArrowUpIcon />
                </button>
                <button
                  type="button"
                  className="icon-btn rules-down"
                  data-move="1"
                  aria-label={`Move fallback ${n} down`}
                  title="Move down (tried later)"
                  disabled={index === row.fallbacks.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <ArrowUpIcon />
                </button>
                <button
                  type="button"
                  className="icon-btn"
                  data-remove=""
                  aria-label={`Remove fallback ${n}`}
                  title="Remove"
                  onClick={() => remove(index)}
                >
                  <TrashIcon />
                </button>
              </div>
            </li>
          )
        })}
      </ol>
      {errors.chain && (
        <p id={`chain-${row.id}-error`} className="settings-field-error fallback-chain-error">
          {errors.chain}
        </p>
      )}
      <div className="fallback-chain-foot">
        {row.fallbacks.length < MAX_FALLBACKS ? (
          <button
            type="button"
            className="btn btn-small"
            id={`chain-${row.id}-add`}
            data-add=""
            aria-describedby={errors.chain ? `chain-${row.id}-error` : undefined}
            onClick={add}
          >
            <PlusIcon />
            <span>Add fallback</span>
          </button>
        ) : (
          <span className="muted">At most {MAX_FALLBACKS} fallbacks per model.</span>
        )}
      </div>
    </li>
  )
}
