import type { Monaco } from './setup'

/**
 * What end-to-end tests may read of Monaco, only when the page was started with the test flag
 * (`window.__PADDOCK_TEST__ = true` before the app loads): how many models are alive (switching
 * files must not leak them), and the text of the editors on screen.
 */
export interface MonacoTestHooks {
  modelCount(): number
  /** Text of every live diff editor's modified side, in creation order. */
  modifiedTexts(): string[]
  /** Replace the modified side of the diff editor inside `container` (as a user's typing would). */
  setModified(container: Element, text: string): boolean
}

declare global {
  interface Window {
    __PADDOCK_TEST__?: boolean
    __paddockMonaco?: MonacoTestHooks
  }
}

export function exposeMonacoForTests(monaco: Monaco): void {
  if (window.__PADDOCK_TEST__ !== true || window.__paddockMonaco) return
  window.__paddockMonaco = {
    modelCount: () => monaco.editor.getModels().length,
    modifiedTexts: () =>
      monaco.editor.getDiffEditors().map((d) => d.getModifiedEditor().getModel()?.getValue() ?? ''),
    setModified: (container, text) => {
      for (const d of monaco.editor.getDiffEditors()) {
        const node = d.getContainerDomNode()
        if (!container.contains(node) && node !== container) continue
        const editor = d.getModifiedEditor()
        const model = editor.getModel()
        if (!model) return false
        editor.executeEdits('test', [{ range: model.getFullModelRange(), text }])
        return true
      }
      return false
    },
  }
}
