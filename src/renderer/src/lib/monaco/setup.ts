/**
 * Monaco, set up once: the editor core, the few features the review uses, the languages we
 * highlight, and the editor worker bundled by Vite (`?worker`: served from our origin, no CDN,
 * allowed by the CSP's `worker-src 'self' blob:`). Only `load.ts` imports this module, lazily,
 * so the app's first paint does not pay for Monaco.
 */
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/features/diffEditor/register'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/folding/register'
import 'monaco-editor/features/wordHighlighter/register'
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/comment/register'
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/contextmenu/register'
import 'monaco-editor/features/cursorUndo/register'
import 'monaco-editor/languages/definitions/typescript/register'
import 'monaco-editor/languages/definitions/javascript/register'
import 'monaco-editor/languages/definitions/css/register'
import 'monaco-editor/languages/definitions/scss/register'
import 'monaco-editor/languages/definitions/html/register'
import 'monaco-editor/languages/definitions/markdown/register'
import 'monaco-editor/languages/definitions/python/register'
import 'monaco-editor/languages/definitions/rust/register'
import 'monaco-editor/languages/definitions/go/register'
import 'monaco-editor/languages/definitions/java/register'
import 'monaco-editor/languages/definitions/cpp/register'
import 'monaco-editor/languages/definitions/shell/register'
import 'monaco-editor/languages/definitions/yaml/register'
import 'monaco-editor/languages/definitions/xml/register'
import 'monaco-editor/languages/definitions/sql/register'
import 'monaco-editor/languages/definitions/ini/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { applyTheme } from './theme'
import { exposeMonacoForTests } from './test-hooks'

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment
  }
}

window.MonacoEnvironment = {
  // JSON has no monarch grammar in this build: it is highlighted as JavaScript (see language.ts),
  // so every label gets the plain editor worker (diff computation, word ranges).
  getWorker: () => new EditorWorker(),
}

applyTheme(monaco)
exposeMonacoForTests(monaco)

export { monaco }
export type Monaco = typeof monaco
