import type { Terminal } from '@xterm/xterm'

/**
 * xterm 6 reveals its scrollbar on every scroll, and every line of output scrolls: each line
 * cancels and sets a timer (the one that fades the scrollbar out again). With a shell pouring
 * output that is most of the page's main-thread time. Turn it off: the scrollbar still shows
 * while the pointer is over the terminal, and scrolling still works. xterm has no option for it,
 * so this reaches its scrollable element; false when that is not there (another xterm version:
 * the end-to-end test says so).
 */
export function quietScrollbar(term: Terminal): boolean {
  const core: unknown = Reflect.get(term, '_core')
  const viewport: unknown = isObject(core) ? Reflect.get(core, '_viewport') : undefined
  const element: unknown = isObject(viewport)
    ? Reflect.get(viewport, '_scrollableElement')
    : undefined
  const set: unknown = isObject(element) ? Reflect.get(element, 'setRevealOnScroll') : undefined
  if (typeof set !== 'function') return false
  ;(set as (reveal: boolean) => void).call(element, false)
  return true
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null
}
