import type { JSX } from 'react'
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
 * A compact before → after view of a file change waiting for approval. (The diff review feature
 * will replace it with Monaco's diff editor; it stays small and self-contained until then.)
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
