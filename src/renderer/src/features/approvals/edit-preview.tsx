import { useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { DiffView } from '../../lib/monaco/diff-view'
import type { ChangePreview } from './preview-lines'
import { editPreview, writePreview } from './preview-lines'

/** Characters of one line shown; the rest is cut (minified files have very long lines). */
const LINE_MAX_CHARS = 400

export interface EditPreviewProps {
  tool: 'edit' | 'write'
  arguments: unknown
}

function field(args: unknown, key: string): string | null {
  if (typeof args !== 'object' || args === null) return null
  const v = (args as Record<string, unknown>)[key]
  return typeof v === 'string' ? v : null
}

const MARKS = { del: '-', add: '+', ctx: ' ' } as const
const LABELS = { del: 'removed', add: 'added', ctx: 'unchanged' } as const

/**
 * A compact before → after view of a file change: the record of an answered approval, and the
 * fallback when Monaco's diff (`ApprovalDiff`) cannot show it.
 */
export function EditPreview({ tool, arguments: args }: EditPreviewProps): JSX.Element {
  const content = field(args, 'content')
  const oldString = field(args, 'old_string')
  const newString = field(args, 'new_string')
  let preview: ChangePreview | null = null
  if (tool === 'write' && content !== null) preview = writePreview(content)
  else if (tool === 'edit' && oldString !== null && newString !== null) {
    preview = editPreview(oldString, newString)
  }
  if (!preview) {
    return <p className="approval-muted">The change cannot be previewed (unexpected arguments).</p>
  }
  const replaceAll = tool === 'edit' && (args as { replace_all?: unknown }).replace_all === true
  return (
    <figure className="edit-preview">
      <figcaption className="edit-preview-stats">
        <span className="edit-preview-added">+{preview.added}</span>{' '}
        <span className="edit-preview-removed">−{preview.removed}</span>
        {tool === 'write' && <span> · the whole file</span>}
        {replaceAll && <span> · every occurrence</span>}
      </figcaption>
      {preview.lines.length === 0 ? (
        <p className="approval-muted">An empty file.</p>
      ) : (
        <pre className="edit-preview-lines" aria-label="Change preview">
          {preview.lines.map((line, i) =>
            line.kind === 'gap' ? (
              <span key={i} className="edit-line edit-line-gap">
                {line.reason === 'unchanged'
                  ? `⋯ ${line.count} unchanged line${line.count === 1 ? '' : 's'}`
                  : `⋯ ${line.count} more line${line.count === 1 ? '' : 's'}`}
                {'\n'}
              </span>
            ) : (
              <span key={i} className={`edit-line edit-line-${line.kind}`}>
                <span className="edit-line-mark" aria-hidden="true">
                  {MARKS[line.kind]}
                </span>
                <span className="approval-sr">{LABELS[line.kind]}: </span>
                {line.text.length > LINE_MAX_CHARS
                  ? `${line.text.slice(0, LINE_MAX_CHARS)}…`
                  : line.text}
                {'\n'}
              </span>
            ),
          )}
        </pre>
      )}
    </figure>
  )
}

/** The file text once the proposed edit/write is applied to `current`; null when it cannot apply. */
export function proposedText(
  tool: 'edit' | 'write',
  args: unknown,
  current: string,
): { text: string } | { error: string } {
  if (tool === 'write') {
    const content = field(args, 'content')
    return content === null ? { error: 'The write has no content.' } : { text: content }
  }
  const oldString = field(args, 'old_string')
  const newString = field(args, 'new_string')
  if (oldString === null || newString === null) return { error: 'Unexpected edit arguments.' }
  if (oldString === '') return { text: newString + current }
  const at = current.indexOf(oldString)
  if (at < 0) return { error: 'The text to replace is not in the file (it may have changed).' }
  const replaceAll = (args as { replace_all?: unknown }).replace_all === true
  if (replaceAll) return { text: current.split(oldString).join(newString) }
  return { text: current.slice(0, at) + newString + current.slice(at + oldString.length) }
}

export interface ApprovalDiffProps extends EditPreviewProps {
  workspaceId: string
  /** The session that asks: the file is read in its folder (its worktree, when it has one). */
  sessionId?: string
  path: string
  /** The user's own text when it differs from the proposal; null when it is the proposal. */
  onEdited: (text: string | null) => void
}

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; current: string; proposed: string }
  | { state: 'fallback'; reason: string }

/**
 * A pending edit/write as Monaco's diff of the file now (left) against the file once approved
 * (right). The right side is editable: what the user types there is what gets written.
 */
export function ApprovalDiff(props: ApprovalDiffProps): JSX.Element {
  const { workspaceId, sessionId, path, tool, arguments: args, onEdited } = props
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const proposedRef = useRef<string | null>(null)

  useEffect(() => {
    let live = true
    getClient()
      .call('workspaces.readFile', { workspaceId, ...(sessionId ? { sessionId } : {}), path })
      .then(
        (file) => {
          if (!live) return
          if (file.binary || file.tooLarge) {
            setLoaded({
              state: 'fallback',
              reason: file.binary ? 'The file is binary.' : 'The file is too large to diff here.',
            })
            return
          }
          const out = proposedText(tool, args, file.content ?? '')
          if ('error' in out) return setLoaded({ state: 'fallback', reason: out.error })
          proposedRef.current = out.text
          setLoaded({ state: 'ready', current: file.content ?? '', proposed: out.text })
        },
        (err: unknown) => live && setLoaded({ state: 'fallback', reason: errorMessage(err) }),
      )
    return () => {
      live = false
    }
  }, [workspaceId, sessionId, path, tool, args])

  if (loaded.state === 'fallback') {
    return (
      <>
        <p className="approval-muted">{loaded.reason} Showing the proposed change as text.</p>
        <EditPreview tool={tool} arguments={args} />
      </>
    )
  }
  if (loaded.state === 'loading') {
    return <p className="approval-muted">Loading the diff…</p>
  }
  const lines = Math.max(loaded.current.split('\n').length, loaded.proposed.split('\n').length)
  return (
    <div
      className="approval-diff"
      style={{ height: Math.min(420, Math.max(120, lines * 18 + 24)) }}
    >
      <DiffView
        label="Change preview"
        path={path}
        original={loaded.current}
        modified={loaded.proposed}
        editable
        onModifiedChange={(text) => onEdited(text === proposedRef.current ? null : text)}
      />
    </div>
  )
}
