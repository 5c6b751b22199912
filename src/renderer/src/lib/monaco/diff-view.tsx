import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { JSX } from 'react'
import type { editor } from 'monaco-editor/editor/editor.api'
import '../../styles/review.css'
import { loadMonaco } from './load'
import type { Monaco } from './load'
import { createModelPair } from './models'
import type { ModelPair } from './models'

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

const disposedEditors = new WeakSet<editor.IStandaloneDiffEditor>()

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
      // The model effect's cleanup may run after this one (React runs them in order): it must
      // not touch the disposed editor, only dispose its models.
      if (diff) disposedEditors.add(diff)
      diff?.dispose()
    }
  }, [])

  const { path, original, modified, editable, inline } = props
  useEffect(() => {
    if (!instance) return
    const { diff, monaco } = instance
    const pair: ModelPair = createModelPair(monaco, path, original, modified)
    diff.setModel({ original: pair.original, modified: pair.modified })
    const sub = pair.modified.onDidChangeContent(() =>
      latest.current.onModifiedChange?.(pair.modified.getValue()),
    )
    latest.current.onReady?.(diff, monaco)
    return () => {
      sub.dispose()
      // Detach first: a model may not be disposed while an editor still shows it.
      if (!disposedEditors.has(diff)) diff.setModel(null)
      pair.dispose()
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
      aria-busy={instance === null && failed === null}
    >
      {failed !== null && <p role="alert">The diff editor could not load: {failed}</p>}
    </div>
  )
}
