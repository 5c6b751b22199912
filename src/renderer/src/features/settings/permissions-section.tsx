import { useEffect, useMemo, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { RuleData } from '../../../../shared/contract'
import { sortedWorkspaces } from '../../../../shared/state'
import { useAppStore } from '../../app/store'
import { PlusIcon } from '../../lib/ui/icons'
import { DecisionPreview } from './decision-preview'
import type { DraftRule, RowErrors } from './rules-draft'
import { draftOf, emptyRule, rowErrors, rulesOf, sameRules } from './rules-draft'
import { RulesTable } from './rules-table'
import { useStoredSettings } from './stored-settings'
import { WorkspaceRules } from './workspace-rules'

const NO_RULES: RuleData[] = []

/**
 * Permissions: the user's rules as an editable table (checked with the host's rule schema, row by
 * row, before anything is saved), the open workspaces' own rules, and a preview of what the rules
 * decide for a command or a path.
 */
export function PermissionsSection(): JSX.Element {
  const values = useStoredSettings((s) => s.values)
  const problem = useStoredSettings((s) => s.problems['permissions.rules'])
  const loadError = useStoredSettings((s) => s.loadError)
  const load = useStoredSettings((s) => s.load)
  const save = useStoredSettings((s) => s.save)
  const host = useAppStore((s) => s.host)
  const activeTab = useAppStore((s) => s.activeTab)
  const workspaces = useMemo(() => sortedWorkspaces(host), [host])
  const activeWorkspace = activeTab ? (host.sessions[activeTab]?.workspaceId ?? null) : null

  const stored = values?.['permissions.rules'] ?? NO_RULES
  const [rows, setRows] = useState<DraftRule[] | null>(null)
  const [errors, setErrors] = useState<ReadonlyMap<number, RowErrors>>(new Map())
  const [status, setStatus] = useState('')
  const [saveError, setSaveError] = useState<string | null>(null)
  const addRef = useRef<HTMLButtonElement>(null)
  const [focusRequest, setFocusRequest] = useState<{ id: number; n: number } | null>(null)

  useEffect(() => {
    void load()
  }, [load])
  // The table follows the stored rules until the user edits it.
  const shown = useMemo(() => rows ?? draftOf(stored), [rows, stored])
  const changed = rows !== null && !sameRules(rows, stored)
  const draft = rulesOf(shown)

  const edit = (next: DraftRule[]): void => {
    setRows(next)
    setStatus('')
    setSaveError(null)
    // An error goes away once its row is fixed; new ones wait for Save.
    if (errors.size > 0) {
      const still = new Map<number, RowErrors>()
      for (const row of next) {
        if (!errors.has(row.id)) continue
        const e = rowErrors(row)
        if (Object.keys(e).length > 0) still.set(row.id, e)
      }
      setErrors(still)
    }
  }
  const add = (): void => {
    const row = emptyRule()
    edit([...shown, row])
    setFocusRequest({ id: row.id, n: (focusRequest?.n ?? 0) + 1 })
  }
  const onSave = async (): Promise<void> => {
    if (!changed) {
      setStatus('No changes to save.')
      return
    }
    const found = new Map<number, RowErrors>()
    for (const row of shown) {
      const e = rowErrors(row)
      if (Object.keys(e).length > 0) found.set(row.id, e)
    }
    setErrors(found)
    const firstBad = shown.find((r) => found.has(r.id))
    if (firstBad || !draft) {
      setStatus('')
      setSaveError(
        found.size === 1
          ? 'Fix the rule marked below to save.'
          : 'Fix the rules marked below to save.',
      )
      const field = found.get(firstBad?.id ?? -1)?.tool ? 'tool' : 'pattern'
      if (firstBad) document.getElementById(`rule-${firstBad.id}-${field}`)?.focus()
      return
    }
    const refused = await save({ 'permissions.rules': draft.length > 0 ? draft : undefined })
    const why = refused['permissions.rules']
    if (why) {
      setSaveError(`Not saved: ${why}`)
      return
    }
    setRows(null)
    setSaveError(null)
    setStatus(`Saved ${draft.length} ${draft.length === 1 ? 'rule' : 'rules'}.`)
  }

  return (
    <>
      <div className="settings-group" role="group" aria-labelledby="user-rules-title">
        <div className="settings-group-header">
          <div>
            <h3 id="user-rules-title">Your rules</h3>
            <p className="muted">
              Apply in every workspace, above the mode’s defaults. Each names a tool (
              <code>bash</code>, <code>edit</code> for every file change, <code>*</code> for all), a
              command prefix or a path glob, and a decision. Later rules win over earlier ones.
            </p>
          </div>
          <button ref={addRef} type="button" className="btn btn-primary" onClick={add}>
            <PlusIcon />
            <span>Add rule</span>
          </button>
        </div>
        {loadError !== null && (
          <div role="alert" className="settings-load-error">
            <p>Could not read your rules: {loadError}</p>
            <button type="button" className="btn" onClick={() => void load()}>
              Retry
            </button>
          </div>
        )}
        {problem && <p className="settings-error">{problem} Saving replaces them.</p>}
        {saveError && (
          <p role="alert" className="settings-error rules-save-error">
            {saveError}
          </p>
        )}
        {values === null && loadError === null ? (
          <p className="muted settings-empty">Loading your rules…</p>
        ) : shown.length === 0 ? (
          <p className="muted settings-empty">
            No rules of your own yet. The mode decides: reads and read-only commands run, the rest
            asks.
          </p>
        ) : (
          <RulesTable
            rows={shown}
            errors={errors}
            onChange={edit}
            focusRequest={focusRequest}
            onEmptied={() => requestAnimationFrame(() => addRef.current?.focus())}
          />
        )}
        <div className="settings-actions">
          <button type="button" className="btn btn-primary" onClick={() => void onSave()}>
            Save rules
          </button>
          <button
            type="button"
            className="btn"
            disabled={!changed}
            onClick={() => {
              setRows(null)
              setErrors(new Map())
              setSaveError(null)
              // This button is disabled once nothing is left to discard: focus goes to Add rule.
              addRef.current?.focus()
            }}
          >
            Discard changes
          </button>
          {changed && <span className="settings-unsaved">Unsaved changes</span>}
          <p role="status" className="settings-saved">
            {status}
          </p>
        </div>
      </div>

      <WorkspaceRules workspaces={workspaces} />

      <DecisionPreview workspaces={workspaces} initialWorkspaceId={activeWorkspace} draft={draft} />
    </>
  )
}
