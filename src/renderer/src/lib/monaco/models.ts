import type { Monaco } from './setup'
import type { editor } from 'monaco-editor/editor/editor.api'
import { languageForPath } from './language'

export interface ModelPair {
  original: editor.ITextModel
  modified: editor.ITextModel
  dispose(): void
}

let counter = 0

/**
 * The two models of one diff, created for one file and disposed with it: a view that switches
 * files disposes the previous pair after attaching the next, so models never pile up. Each pair
 * gets fresh URIs (the same path may be open twice: in an approval card and in the Changes panel).
 */
export function createModelPair(
  monaco: Monaco,
  path: string,
  original: string,
  modified: string,
): ModelPair {
  const language = languageForPath(path)
  const n = ++counter
  const clean = path.replace(/^\/+/, '')
  const o = monaco.editor.createModel(
    original,
    language,
    monaco.Uri.from({ scheme: 'paddock-original', path: `/${n}/${clean}` }),
  )
  const m = monaco.editor.createModel(
    modified,
    language,
    monaco.Uri.from({ scheme: 'paddock-modified', path: `/${n}/${clean}` }),
  )
  let disposed = false
  return {
    original: o,
    modified: m,
    dispose() {
      if (disposed) return
      disposed = true
      o.dispose()
      m.dispose()
    },
  }
}
