import { useEffect, useRef } from 'react'
import type { JSX } from 'react'
import type { RuleData } from '../../../../shared/contract'
import { ArrowUpIcon, TrashIcon } from '../../lib/ui/icons'
import type { DraftRule, RowErrors } from './rules-draft'
import { moved, RULE_TOOLS } from './rules-draft'

const ACTIONS: ReadonlyArray<{ value: RuleData['action']; label: string }> = [
  { value: 'allow', label: 'Allow' },
  { value: 'ask', label: 'Ask' },
  { value: 'deny', label: 'Deny' },
]

/**
 * The user's rules as an editable table, in the order they apply (a later rule wins). Each row's
 * errors are shown under its fields; buttons move a row up and down and delete it, keeping the
 * keyboard focus on the row.
 */
export function RulesTable({
  rows,
  errors,
  onChange,
  onEmptied,
  focusRequest,
}: {
  rows: DraftRule[]
  /** A row whose tool field should take focus once drawn (a row just added), with a counter. */
  focusRequest: { id: number; n: number } | null
  errors: ReadonlyMap<number, RowErrors>
  onChange(rows: DraftRule[]): void
  /** The last row was deleted: focus goes elsewhere. */
  onEmptied(): void
}): JSX.Element {
  const table = useRef<HTMLTableElement>(null)
  /** Where focus goes once the change is drawn: rows move and disappear under the keyboard. */
  const pendingFocus = useRef<string | null>(null)
  const focusLater = (selector: string): void => {
    pendingFocus.current = selector
  }
  useEffect(() => {
    const selector = pendingFocus.current
    if (selector === null) return
    pendingFocus.current = null
    table.current?.querySelector<HTMLElement>(selector)?.focus()
  })
  useEffect(() => {
    if (focusRequest)
      table.current?.querySelector<HTMLElement>(`#rule-${focusRequest.id}-tool`)?.focus()
  }, [focusRequest])
  const update = (id: number, patch: Partial<DraftRule>): void =>
    onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)))
  const move = (index: number, delta: number): void => {
    const row = rows[index]!
    const next = moved(rows, index, delta)
    onChange(next)
    const at = index + delta
    const edge = delta < 0 ? at === 0 : at === next.length - 1
    focusLater(`[data-row="${row.id}"] [data-move="${edge ? -delta : delta}"]`)
  }
  const remove = (index: number): void => {
    const next = rows.filter((_, i) => i !== index)
    onChange(next)
    const neighbour = next[Math.min(index, next.length - 1)]
    if (neighbour) focusLater(`[data-row="${neighbour.id}"] [data-delete]`)
    else onEmptied()
  }

  return (
    <>
      <datalist id="rule-tools">
        {RULE_TOOLS.map((t) => (
          <option key={t.value} value={t.value} label={t.label} />
        ))}
      </datalist>
      <table ref={table} className="rules-table" aria-label="Your rules">
        <thead>
          <tr>
            <th scope="col" className="rules-num">
              #
            </th>
            <th scope="col">Tool</th>
            <th scope="col">Pattern</th>
            <th scope="col">Decision</th>
            <th scope="col" className="rules-actions">
              <span className="settings-sr-only">Order and delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const n = index + 1
            const e = errors.get(row.id) ?? {}
            const fieldId = (f: string): string => `rule-${row.id}-${f}`
            return (
              <tr key={row.id} data-row={row.id} className={e.tool || e.pattern ? 'has-error' : ''}>
                <td className="rules-num">{n}</td>
                <td>
                  <input
                    id={fieldId('tool')}
                    className="text-input settings-mono"
                    list="rule-tools"
                    aria-label={`Tool, rule ${n}`}
                    placeholder="bash"
                    spellCheck={false}
                    autoComplete="off"
                    value={row.tool}
                    aria-invalid={e.tool ? true : undefined}
                    aria-describedby={e.tool ? fieldId('tool-error') : undefined}
                    onChange={(ev) => update(row.id, { tool: ev.target.value })}
                  />
                  {e.tool && (
                    <p id={fieldId('tool-error')} className="settings-field-error">
                      {e.tool}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    id={fieldId('pattern')}
                    className="text-input settings-mono"
                    aria-label={`Pattern, rule ${n}`}
                    placeholder={row.tool.trim() === 'bash' ? 'npm test' : 'src/**'}
                    spellCheck={false}
                    autoComplete="off"
                    value={row.pattern}
                    aria-invalid={e.pattern ? true : undefined}
                    aria-describedby={e.pattern ? fieldId('pattern-error') : undefined}
                    onChange={(ev) => update(row.id, { pattern: ev.target.value })}
                  />
                  {e.pattern && (
                    <p id={fieldId('pattern-error')} className="settings-field-error">
                      {e.pattern}
                    </p>
                  )}
                </td>
                <td>
                  <select
                    className={`text-input settings-select rules-decision is-${row.action}`}
                    aria-label={`Decision, rule ${n}`}
                    value={row.action}
                    onChange={(ev) =>
                      update(row.id, { action: ev.target.value as RuleData['action'] })
                    }
                  >
                    {ACTIONS.map((a) => (
                      <option key={a.value} value={a.value}>
                        {a.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="rules-actions">
                  <button
                    type="button"
                    className="icon-btn"
                    data-move="-1"
                    aria-label={`Move rule ${n} up`}
                    title="Move up (applies earlier)"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    <ArrowUpIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-btn rules-down"
                    data-move="1"
                    aria-label={`Move rule ${n} down`}
                    title="Move down (applies later, wins over the rules above)"
                    disabled={index === rows.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    <ArrowUpIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-btn"
                    data-delete=""
                    aria-label={`Delete rule ${n}`}
                    title="Delete"
                    onClick={() => remove(index)}
                  >
                    <TrashIcon />
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </>
  )
}
