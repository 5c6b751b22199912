import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { editor } from 'monaco-editor/editor/editor.api'
import '../../styles/review.css'
import { loadMonaco } from './load'
import type { Monaco } from './load'
import { createModelPair } from './models'
import type { ModelPair } from './models'

/** Longest a file waits for its diff before it is shown without (its changes follow). */
const DIFF_WAIT_MS = 200

export interface DiffViewProps {
  /** Workspace-relative path: picks the language and names the models. */
  path: string
  original: string
  modified: string
  /** The modified side can be edited (an approval's proposed text). */
  editable?: boolean
  /** Inline (unified) instead of side by side. */
  inline?: boolean
  /** Accessible name of the editor region. */
  label: string
  className?: string
  onModifiedChange?: (text: string) => void
  /** Called when the editor shows this file's diff (again after every file switch). */
  onReady?: (diff: editor.IStandaloneDiffEditor, monaco: Monaco) => void
}

/**
 * Monaco's diff editor for one file at a time. The editor is created once per mount; switching
 * `path`/texts swaps in a new model pair and disposes the old one; unmounting disposes everything.
 */
export function DiffView(props: DiffViewProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null)
  const [instance, setInstance] = useState<{
    diff: editor.IStandaloneDiffEditor
    monaco: Monaco
  } | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const latest = useRef(props)
  /** What the editor shows (a model pair and its diff): replaced by the next file's. */
  const shown = useRef<{ dispose(): void } | null>(null)
  useLayoutEffect(() => {
    latest.current = props
  })

  useEffect(() => {
    let cancelled = false
    let diff: editor.IStandaloneDiffEditor | null = null
    loadMonaco().then(
      (monaco) => {
        if (cancelled || !host.current) return
        diff = monaco.editor.createDiffEditor(host.current, {
          automaticLayout: true,
          renderSideBySide: !latest.current.inline,
          originalEditable: false,
          readOnly: !latest.current.editable,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          glyphMargin: true,
          renderOverviewRuler: true,
          fontSize: 12,
          ariaLabel: latest.current.label,
          // Big files: compute the diff off the main thread, give up politely past a few seconds.
          // The legacy (Myers-style) algorithm paints a 5k-line, 200-hunk diff in ~130 ms where
          // 'advanced' takes ~1 s (bench/review.ts); its hunks are what review needs.
          maxComputationTime: 5000,
          diffAlgorithm: 'legacy',
          hideUnchangedRegions: { enabled: false },
        })
        setInstance({ diff, monaco })
      },
      (err: unknown) => setFailed(err instanceof Error ? err.message : String(err)),
    )
    return () => {
      cancelled = true
      diff?.dispose()
      // The editor is gone: its models may go too.
      shown.current?.dispose()
      shown.current = null
    }
  }, [])

  const { path, original, modified, editable, inline } = props
  /** The texts the editor shows: until they are these props', a diff is being prepared. */
  const [shownFor, setShownFor] = useState<{ path: string; original: string; modified: string }>()
  const pending =
    shownFor?.path !== path || shownFor.original !== original || shownFor.modified !== modified
  useEffect(() => {
    if (!instance) return
    const { diff, monaco } = instance
    const pair: ModelPair = createModelPair(monaco, path, original, modified)
    // The diff is computed first, in Monaco's editor worker, and the file shown with it: shown
    // before its diff, the editor lays out and paints the bare text, the worker's request waits
    // behind that (each one starts with a ping answered through this thread), and then every
    // change is laid out and painted again. A diff that takes longer than DIFF_WAIT_MS is not
    // waited for: the file shows, its changes follow.
    const view = diff.createViewModel({ original: pair.original, modified: pair.modified })
    let disposed = false
    const entry = {
      dispose() {
        if (disposed) return
        disposed = true
        view.dispose()
        pair.dispose()
      },
    }
    let sub: { dispose(): void } | null = null
    let settled = false
    const show = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      diff.setModel(view)
      // Only now, with the next pair attached, the previous one goes: had the last model gone
      // first, Monaco would stop its editor worker, and the next diff would wait ~100 ms for a
      // new one to start.
      shown.current?.dispose()
      shown.current = entry
      setShownFor({ path, original, modified })
      sub = pair.modified.onDidChangeContent(() =>
        latest.current.onModifiedChange?.(pair.modified.getValue()),
      )
      latest.current.onReady?.(diff, monaco)
    }
    const timer = setTimeout(show, DIFF_WAIT_MS)
    view.waitForDiff().then(show, show)
    return () => {
      settled = true
      clearTimeout(timer)
      sub?.dispose()
      // Never shown (the next file came first): nothing refers to it.
      if (shown.current !== entry) entry.dispose()
    }
  }, [instance, path, original, modified])

  useEffect(() => {
    instance?.diff.updateOptions({ renderSideBySide: !inline, readOnly: !editable })
  }, [instance, inline, editable])

  return (
    <div
      className={`monaco-diff-host ${props.className ?? ''}`}
      ref={host}
      role="region"
      aria-label={props.label}
      aria-busy={pending && failed === null}
    >
      {failed !== null && <p role="alert">The diff editor could not load: {failed}</p>}
    </div>
  )
}
