import { useVirtualizer } from '@tanstack/react-virtual'
import { useId, useMemo, useRef, useState } from 'react'
import type { JSX } from 'react'

const ROW_HEIGHT = 26

/**
 * The models a provider offers, to keep or leave out: a filter, select all / none, and a
 * virtualized list of checkboxes (an aggregator lists hundreds).
 */
export function ModelPicker({
  models,
  selected,
  onChange,
}: {
  models: readonly string[]
  selected: readonly string[]
  onChange: (selected: string[]) => void
}): JSX.Element {
  const [filter, setFilter] = useState('')
  const scroller = useRef<HTMLDivElement>(null)
  const labelId = useId()
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase()
    return q ? models.filter((m) => m.toLowerCase().includes(q)) : models
  }, [models, filter])
  const chosen = useMemo(() => new Set(selected), [selected])
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design; nothing below memoizes it
  const rows = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  })

  const toggle = (model: string, on: boolean): void =>
    onChange(
      on ? models.filter((m) => chosen.has(m) || m === model) : selected.filter((m) => m !== model),
    )

  return (
    <div role="group" aria-labelledby={labelId} className="settings-models">
      <div className="settings-models-toolbar">
        <span id={labelId} className="settings-models-count">
          Models: {selected.length} of {models.length} selected
        </span>
        {models.length > 8 && (
          <input
            type="search"
            className="text-input settings-models-filter"
            aria-label="Filter models"
            placeholder="Filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={() => onChange([...models])}
        >
          Select all
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange([])}>
          Select none
        </button>
      </div>
      <div
        ref={scroller}
        className="settings-models-list"
        style={
          shown.length > 0 ? { height: Math.min(shown.length, 8) * ROW_HEIGHT + 2 } : undefined
        }
      >
        {shown.length === 0 ? (
          <p className="muted settings-models-empty">
            {models.length === 0 ? 'The endpoint lists no models.' : 'No model matches the filter.'}
          </p>
        ) : (
          <ul style={{ height: rows.getTotalSize(), position: 'relative' }}>
            {rows.getVirtualItems().map((row) => {
              const model = shown[row.index]!
              return (
                <li
                  key={model}
                  className="settings-models-row"
                  style={{ height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                >
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={chosen.has(model)}
                      onChange={(e) => toggle(model, e.target.checked)}
                    />
                    <span>{model}</span>
                  </label>
                </li>
              )
            })}
          </ul>
        )}
      </div>
    </div>
  )
}
