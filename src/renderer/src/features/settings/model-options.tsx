import type { JSX } from 'react'
import type { ModelChoice } from '../../../../shared/contract'

/** The models by provider, each provider once, in the order `models.list` gives them. */
export function groupByProvider(models: readonly ModelChoice[]): [string, ModelChoice[]][] {
  const groups = new Map<string, ModelChoice[]>()
  for (const m of models) {
    const list = groups.get(m.provider) ?? []
    list.push(m)
    groups.set(m.provider, list)
  }
  return [...groups]
}

/** A model as a picker lists it: `provider/label`, and its window when known ("128k context"). */
export function optionLabel(m: ModelChoice): string {
  const name = `${m.provider}/${m.label}`
  if (m.contextWindow === null) return name
  const k =
    m.contextWindow >= 1_000_000
      ? `${m.contextWindow / 1_000_000}M`
      : `${Math.round(m.contextWindow / 1000)}k`
  return `${name} · ${k} context`
}

/** The `<optgroup>`s of a model picker: one per provider, its models as options by `ref`. */
export function ModelOptions({ models }: { models: readonly ModelChoice[] }): JSX.Element {
  return (
    <>
      {groupByProvider(models).map(([provider, choices]) => (
        <optgroup key={provider} label={provider}>
          {choices.map((m) => (
            <option key={m.ref} value={m.ref}>
              {optionLabel(m)}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  )
}
