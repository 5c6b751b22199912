import { useCallback, useEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { editor } from 'monaco-editor/editor/editor.api'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { DiffView } from '../../lib/monaco/diff-view'
import type { Monaco } from '../../lib/monaco/load'
import { useReviewStore } from '../review/review-store'
import { hunkLabel, revertHunk } from './hunks'
import type { Hunk } from './hunks'
import { fileLabel } from './file-list'
import { diffKey, loadSides } from './use-changes'
import type { DiffFile, FileSides } from './use-changes'

export interface FileDiffProps {
  sessionId: string
  workspaceId: string
  base: string
  file: DiffFile
  /** The list's load the file comes from (see `diffKey`). */
  generation: number
  inline: boolean
  /** Something was written: the list should refresh. */
  onChanged: (message: string) => void
}

/**
 * One file's diff (base → now) in Monaco, with its changes ("hunks") to step through (F7 /
 * Shift+F7), keep or revert one by one, and line comments from the gutter.
 */
export function FileDiff(props: FileDiffProps): JSX.Element {
  const { sessionId, workspaceId, base, file, generation, inline, onChanged } = props
  const [sides, setSides] = useState<{ key: string; path: string; sides: FileSides } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [hunks, setHunks] = useState<Hunk[]>([])
  const [kept, setKept] = useState<Set<number>>(new Set())
  const [current, setCurrent] = useState(0)
  const [comment, setComment] = useState<{ path: string; line: number } | null>(null)
  const commentLine = comment?.path === file.path ? comment.line : null
  const setCommentLine = useCallback(
    (line: number | null) => setComment(line === null ? null : { path: file.path, line }),
    [file.path],
  )
  const [busy, setBusy] = useState(false)
  const editorRef = useRef<{ diff: editor.IStandaloneDiffEditor; monaco: Monaco } | null>(null)
  const addComment = useReviewStore((s) => s.add)
  const key = diffKey(base, file, generation)

  useEffect(() => {
    let live = true
    loadSides(sessionId, workspaceId, base, file).then(
      (s) => live && (setSides({ key, path: file.path, sides: s }), setError(null)),
      (err: unknown) => live && setError(errorMessage(err)),
    )
    return () => {
      live = false
    }
    // The key names the file's diff; the file object itself is new on every refresh.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId, workspaceId, base, key])

  const reveal = useCallback((h: Hunk | undefined) => {
    const ed = editorRef.current?.diff.getModifiedEditor()
    if (!h || !ed) return
    const line = Math.max(1, h.modifiedStartLineNumber)
    ed.revealLineInCenter(line)
    ed.setPosition({ lineNumber: line, column: 1 })
  }, [])

  const listeners = useRef<Array<{ dispose(): void }>>([])
  const setCommentLineRef = useRef(setCommentLine)
  useEffect(() => {
    setCommentLineRef.current = setCommentLine
  }, [setCommentLine])
  useEffect(() => () => listeners.current.forEach((l) => l.dispose()), [])
  const onReady = useCallback((diff: editor.IStandaloneDiffEditor, monaco: Monaco) => {
    editorRef.current = { diff, monaco }
    listeners.current.forEach((l) => l.dispose())
    const update = (): void => {
      setHunks(diff.getLineChanges() ?? [])
      setKept(new Set())
      setCurrent(0)
    }
    update()
    listeners.current = [diff.onDidUpdateDiff(update)]
    const mouse = diff.getModifiedEditor().onMouseDown((e) => {
      const t = e.target.type
      const { MouseTargetType } = monaco.editor
      if (t !== MouseTargetType.GUTTER_GLYPH_MARGIN && t !== MouseTargetType.GUTTER_LINE_NUMBERS)
        return
      if (e.target.position) setCommentLineRef.current(e.target.position.lineNumber)
    })
    listeners.current.push(mouse)
  }, [])

  if (error !== null)
    return (
      <p role="alert">
        Could not open {file.path}: {error}
      </p>
    )
  if (file.binary || sides?.sides.binary) {
    return (
      <p className="changes-marker">
        Binary file — {fileLabel(file)} ({file.status}); not shown.
      </p>
    )
  }
  if (sides?.sides.tooLarge) {
    return <p className="changes-marker">{file.path} is too large to show here.</p>
  }
  // While the next file loads, the editor keeps showing the last one (it stays mounted: one diff
  // editor for the panel's life, models swapped per file).
  if (!sides) return <p className="approval-muted">Loading {file.path}…</p>
  const stale = sides.key !== key
  const { original, modified } = sides.sides

  const go = (delta: number): void => {
    if (hunks.length === 0) return
    const next = (current + delta + hunks.length) % hunks.length
    setCurrent(next)
    reveal(hunks[next])
  }
  const revert = (i: number): void => {
    const h = hunks[i]
    if (!h || busy || stale) return
    setBusy(true)
    const content = revertHunk(original, modified, h)
    getClient()
      .call('review.writeFile', {
        sessionId,
        path: file.path,
        content,
        base,
        text: `Reverted ${hunkLabel(h)} of ${file.path}.`,
      })
      .then(
        () => {
          setBusy(false)
          onChanged(`Reverted ${hunkLabel(h)} of ${file.path}.`)
        },
        (err: unknown) => {
          setBusy(false)
          setError(errorMessage(err))
        },
      )
  }
  const quote = (line: number): string => modified.split('\n')[line - 1] ?? ''
  const h = hunks[current]

  return (
    <div
      className="changes-diff"
      onKeyDownCapture={(e) => {
        if (e.key !== 'F7') return
        e.preventDefault()
        e.stopPropagation()
        go(e.shiftKey ? -1 : 1)
      }}
    >
      <div className="changes-hunkbar" role="toolbar" aria-label="Changes in this file">
        <span className="changes-hunk-pos" aria-live="polite">
          {hunks.length === 0
            ? 'No changes'
            : `Change ${current + 1} of ${hunks.length}${h ? `: ${hunkLabel(h)}` : ''}${kept.has(current) ? ' (kept)' : ''}`}
        </span>
        <button
          type="button"
          className="btn btn-small"
          aria-keyshortcuts="Shift+F7"
          title="Previous change (Shift+F7)"
          disabled={hunks.length === 0}
          onClick={() => go(-1)}
          aria-label="Previous change"
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn-small"
          aria-keyshortcuts="F7"
          title="Next change (F7)"
          disabled={hunks.length === 0}
          onClick={() => go(1)}
          aria-label="Next change"
        >
          ↓
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!h}
          onClick={() => {
            setKept((k) => new Set(k).add(current))
            if (current < hunks.length - 1) go(1)
          }}
          aria-label="Keep change"
        >
          Keep
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!h || busy}
          onClick={() => revert(current)}
          aria-label="Revert change"
        >
          Revert
        </button>
        <button
          type="button"
          className="btn btn-small"
          title="Comment on the line with the cursor (or click a line number)"
          onClick={() =>
            setCommentLine(
              editorRef.current?.diff.getModifiedEditor().getPosition()?.lineNumber ?? 1,
            )
          }
          aria-label="Comment on line"
        >
          Comment
        </button>
      </div>
      {commentLine !== null && (
        <form
          className="changes-comment"
          onSubmit={(e) => {
            e.preventDefault()
            const text = new FormData(e.currentTarget).get('comment')
            if (typeof text !== 'string' || text.trim() === '') return
            addComment(sessionId, {
              path: file.path,
              line: commentLine,
              quote: quote(commentLine),
              text: text.trim(),
            })
            setCommentLine(null)
          }}
        >
          <label>
            Comment on {file.path}:{commentLine}
            <textarea
              name="comment"
              rows={2}
              autoFocus
              onKeyDown={(e) => {
                if (e.key === 'Escape') setCommentLine(null)
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
                  e.currentTarget.form?.requestSubmit()
              }}
            />
          </label>
          <button type="submit" className="btn btn-primary btn-small">
            Add comment
          </button>
          <button type="button" className="btn btn-small" onClick={() => setCommentLine(null)}>
            Cancel
          </button>
        </form>
      )}
      <div className="changes-editor">
        <DiffView
          label={`Diff of ${stale ? sides.path : fileLabel(file)}`}
          path={sides.path}
          original={original}
          modified={modified}
          inline={inline}
          onReady={onReady}
        />
      </div>
    </div>
  )
}
