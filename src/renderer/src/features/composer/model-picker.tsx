import type { JSX } from 'react'
import type { ModelChoice } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { GearIcon } from '../../lib/ui/icons'
import type { ModelList } from './use-models'

/** Models grouped by provider, in the order the host listed them. */
function byProvider(models: readonly ModelChoice[]): [string, ModelChoice[]][] {
  const groups = new Map<string, ModelChoice[]>()
  for (const m of models) {
    const g = groups.get(m.provider)
    if (g) g.push(m)
    else groups.set(m.provider, [m])
  }
  return [...groups]
}

/**
 * Which model the next prompt runs with: a select named "Model", grouped by provider, each option
 * named "provider/model" (so the closed select tells same-named models apart), the default marked; a model the session used that is no longer offered stays listed as such.
 * "Manage providers…" opens Settings.
 */
export function ModelPicker({
  list,
  value,
  error,
  onChange,
  onOpen,
}: {
  list: ModelList | null
  /** The ref shown: the user's pick, else the session's model, else the default. */
  value: string | null
  error: string | null
  onChange: (ref: string) => void
  /** The picker got focus (it may be opened next): a chance to refresh the list. */
  onOpen: () => void
}): JSX.Element {
  const openSettings = useAppStore((s) => s.openSettings)
  const models = list?.models ?? []
  const known = value !== null && models.some((m) => m.ref === value)
  return (
    <div className="composer-picker model-picker">
      <select
        className="composer-select"
        aria-label="Model"
        value={value ?? ''}
        disabled={list === null && error === null}
        title={error ?? value ?? 'No model'}
        onFocus={onOpen}
        onChange={(e) => e.target.value && onChange(e.target.value)}
      >
        {value === null && (
          <option value="" disabled>
            {list === null ? 'Loading models…' : 'No model configured'}
          </option>
        )}
        {value !== null && !known && list !== null && (
          <option value={value}>{value} (not available)</option>
        )}
        {byProvider(models).map(([provider, group]) => (
          <optgroup key={provider} label={provider}>
            {group.map((m) => (
              <option key={m.ref} value={m.ref}>
                {m.provider}/{m.label}
                {m.ref === list?.defaultModel ? ' (default)' : ''}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <button
        type="button"
        className="icon-btn"
        aria-label="Manage providers…"
        title="Manage providers… (Settings)"
        onClick={() => openSettings('providers')}
      >
        <GearIcon />
      </button>
    </div>
  )
}
