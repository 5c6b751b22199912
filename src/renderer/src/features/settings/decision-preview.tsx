import { useEffect, useState } from 'react'
import type { JSX } from 'react'
import type { MethodOutput, RuleData } from '../../../../shared/contract'
import type { Workspace } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

type Mode = 'ask' | 'auto-edit' | 'full-auto' | 'plan'
type Preview = MethodOutput<'policy.preview'>

const MODES: ReadonlyArray<{ value: Mode; label: string }> = [
  { value: 'ask', label: 'Ask' },
  { value: 'auto-edit', label: 'Auto-edit' },
  { value: 'full-auto', label: 'Full auto' },
  { value: 'plan', label: 'Plan' },
]
const TOOLS = ['bash', 'read', 'write', 'edit', 'grep', 'glob', 'ls'] as const
const DECISION_LABELS: Record<string, string> = { allow: 'Allow', ask: 'Ask', deny: 'Deny' }

/** Who a deciding rule belongs to, in the user's words. */
function ruleOwner(source: string): string {
  if (source === 'user') return 'your rule'
  if (source === 'workspace') return 'the workspace rule'
  if (source === 'session') return 'this session’s choice'
  return 'the mode’s default'
}

/**
 * Type a command or a path and see what the rules decide, and which rule: the draft rules above
 * stand in for the stored ones (`policy.preview` with `userRules`), the workspace's own rules and
 * the mode apply as in a run. Nothing runs.
 */
export function DecisionPreview({
  workspaces,
  initialWorkspaceId,
  draft,
}: {
  workspaces: Workspace[]
  initialWorkspaceId: string | null
  /** The rules as edited; null while a row is invalid (the stored rules are used). */
  draft: RuleData[] | null
}): JSX.Element {
  const [workspaceId, setWorkspaceId] = useState(initialWorkspaceId)
  const [mode, setMode] = useState<Mode>('ask')
  const [tool, setTool] = useState<(typeof TOOLS)[number]>('bash')
  const [target, setTarget] = useState('')
  /** The last answer, with the request it answers: shown only while that is still the question. */
  const [answer, setAnswer] = useState<{
    key: string
    result: Preview | null
    error: string | null
  }>({ key: '', result: null, error: null })
  const chosen = workspaces.find((w) => w.id === workspaceId) ?? workspaces[0] ?? null
  const text = target.trim()
  const requestKey =
    chosen && text !== '' ? JSON.stringify([chosen.id, mode, tool, text, draft]) : ''

  useEffect(() => {
    if (!chosen || requestKey === '') return
    let live = true
    const args = tool === 'bash' ? { command: text } : { path: text }
    getClient()
      .call('policy.preview', {
        workspaceId: chosen.id,
        mode,
        tool,
        arguments: args,
        ...(draft ? { userRules: draft } : {}),
      })
      .then((result) => live && setAnswer({ key: requestKey, result, error: null }))
      .catch(
        (err: unknown) =>
          live && setAnswer({ key: requestKey, result: null, error: errorMessage(err) }),
      )
    return () => {
      live = false
    }
    // The request key holds everything the call depends on, compared by content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey])
  const current = answer.key === requestKey && requestKey !== '' ? answer : null
  const result = current?.result ?? null
  const error = current?.error ?? null

  const userIndex =
    result?.rule?.source === 'user' && draft
      ? draft.findLastIndex(
          (r) =>
            r.tool === result.rule!.tool &&
            r.pattern === result.rule!.pattern &&
            r.action === result.rule!.action,
        )
      : -1

  return (
    <div className="settings-group" role="group" aria-labelledby="decision-preview-title">
      <div className="settings-group-header">
        <div>
          <h3 id="decision-preview-title">Decision preview</h3>
          <p className="muted">
            What a call would meet in a workspace, with the rules above as they stand (saved or
            not). Nothing runs.
          </p>
        </div>
      </div>
      {chosen === null ? (
        <p className="muted settings-empty">Open a folder to preview decisions in it.</p>
      ) : (
        <>
          <div className="preview-controls">
            <div className="preview-control">
              <label htmlFor="preview-workspace">Workspace</label>
              <select
                id="preview-workspace"
                className="text-input settings-select"
                value={chosen.id}
                onChange={(e) => setWorkspaceId(e.target.value)}
              >
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="preview-control">
              <label htmlFor="preview-mode">Mode</label>
              <select
                id="preview-mode"
                className="text-input settings-select"
                value={mode}
                onChange={(e) => setMode(e.target.value as Mode)}
              >
                {MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="preview-control">
              <label htmlFor="preview-tool">Tool</label>
              <select
                id="preview-tool"
                className="text-input settings-select settings-mono"
                value={tool}
                onChange={(e) => setTool(e.target.value as (typeof TOOLS)[number])}
              >
                {TOOLS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div className="preview-control preview-target">
              <label htmlFor="preview-target">{tool === 'bash' ? 'Command' : 'Path'}</label>
              <input
                id="preview-target"
                className="text-input settings-mono"
                spellCheck={false}
                autoComplete="off"
                placeholder={tool === 'bash' ? 'npm test' : 'src/index.ts'}
                value={target}
                onChange={(e) => setTarget(e.target.value)}
              />
            </div>
          </div>
          {draft === null && (
            <p className="preview-note">
              A rule above is incomplete: the preview uses your saved rules until it is fixed.
            </p>
          )}
          <div role="status" className="preview-result" aria-live="polite">
            {error !== null ? (
              <p className="settings-error">{error}</p>
            ) : result === null ? (
              <p className="muted">
                {requestKey === ''
                  ? `Type a ${tool === 'bash' ? 'command' : 'path'} to see the decision.`
                  : 'Deciding…'}
              </p>
            ) : (
              <>
                <p className="preview-verdict">
                  <span className={`preview-badge is-${result.action}`}>
                    {DECISION_LABELS[result.action] ?? result.action}
                  </span>
                  <span>
                    {result.rule ? (
                      <>
                        Decided by {ruleOwner(result.rule.source)}:{' '}
                        <code>
                          {result.rule.tool} {result.rule.pattern} → {result.rule.action}
                        </code>
                        {userIndex >= 0 && <> (rule {userIndex + 1})</>}
                      </>
                    ) : (
                      'Decided by a safeguard no rule overrides'
                    )}
                  </span>
                </p>
                <p className="preview-reason muted">{result.reason}</p>
                {result.subcommands && result.subcommands.length > 1 && (
                  <ul className="preview-subcommands">
                    {result.subcommands.map((s, i) => (
                      <li key={i}>
                        <code>{s.text}</code>
                        <span className={`preview-badge is-${s.action}`}>
                          {DECISION_LABELS[s.action] ?? s.action}
                        </span>
                        <span className="muted">{s.reason}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            )}
          </div>
        </>
      )}
    </div>
  )
}
