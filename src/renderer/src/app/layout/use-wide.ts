import { useEffect, useState } from 'react'
import type { RefObject } from 'react'

/**
 * Whether an element is at least `minWidth` pixels wide, following its size (a pane narrows
 * when another opens beside it, or the window shrinks). Wide until measured.
 */
export function useWide(ref: RefObject<HTMLElement | null>, minWidth: number): boolean {
  const [wide, setWide] = useState(true)
  useEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const measure = (): void => {
      // Hidden (a maximised neighbour, Settings on top): keep the last answer.
      if (el.offsetParent === null) return
      setWide(el.getBoundingClientRect().width >= minWidth)
    }
    const observer = new ResizeObserver(measure)
    observer.observe(el)
    measure()
    return () => observer.disconnect()
  }, [ref, minWidth])
  return wide
}
