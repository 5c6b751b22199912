import type { Layout } from '../../../shared/layout'
import { LayoutSchema } from '../../../shared/layout'
import { readStored, writeStored } from '../lib/storage'

const KEY = 'paddock.layout'

/** The layout this browser kept, if any and valid. */
export function loadTabs(): Layout | null {
  const parsed = LayoutSchema.safeParse(readStored(KEY))
  return parsed.success ? parsed.data : null
}

export function saveTabs(layout: Layout): void {
  writeStored(KEY, layout)
}
