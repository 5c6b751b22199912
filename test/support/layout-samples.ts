import type { Layout } from '../../src/shared/layout'

/**
 * Two layouts of about 40 KB each that differ in every field, for the kill -9 test: a torn write
 * would show as neither. Their tabs are ids no session has, so they are compared as stored.
 */
export function crashLayout(which: 0 | 1): Layout {
  const mark = which === 0 ? 'a' : 'b'
  const sizes: Record<string, number> = {}
  const collapsed: Layout['collapsed'] = {}
  for (let i = 0; i < 150; i++) {
    sizes[`${mark}-split-${i}-${'x'.repeat(80)}`] = which === 0 ? 30 : 70
    collapsed[`${mark}-session-${i}-${'y'.repeat(80)}`] = which === 0 ? ['changes'] : ['timeline']
  }
  const tabs = Array.from({ length: 100 }, (_, i) => `${mark}-tab-${i}`)
  return {
    openTabs: tabs,
    panes: tabs.slice(0, which === 0 ? 2 : 4),
    focusedPane: which === 0 ? 1 : 3,
    maximised: which === 1,
    sizes,
    collapsed,
  }
}
