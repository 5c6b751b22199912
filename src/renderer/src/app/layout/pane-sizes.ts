import { readStored, writeStored } from '../../lib/storage'

const KEY = 'paddock.panes'

/** The stored size (percent of the first pane) of the split named `id`, if any and sane. */
export function loadPaneSize(id: string, min: number, max: number): number | undefined {
  const raw = readStored(KEY)
  if (typeof raw !== 'object' || raw === null) return undefined
  const size = (raw as Record<string, unknown>)[id]
  if (typeof size !== 'number' || !Number.isFinite(size)) return undefined
  return Math.min(max, Math.max(min, size))
}

export function savePaneSize(id: string, size: number): void {
  const raw = readStored(KEY)
  const sizes = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {}
  writeStored(KEY, { ...sizes, [id]: Math.round(size * 10) / 10 })
}
