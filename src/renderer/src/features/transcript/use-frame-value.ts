import { useEffect, useRef, useState } from 'react'

/**
 * `value`, passed on at most once per animation frame and at most once every `minMs`: what streams
 * in faster than anyone reads (a message's markdown, re-parsed, re-measured and re-scrolled on each
 * change) renders a few times a second with the latest value, not on every chunk. With eight
 * agents streaming into four panes, per-frame updates kept the main thread busy most of the time
 * (bench/workbench.ts); the first value and a change after a quiet spell show at the next frame.
 */
export function useFrameValue<T>(value: T, minMs = 0): T {
  const [shown, setShown] = useState(value)
  const latest = useRef(value)
  const pending = useRef<{ frame: number | null; timer: ReturnType<typeof setTimeout> | null }>({
    frame: null,
    timer: null,
  })
  const lastShown = useRef(0)

  useEffect(() => {
    latest.current = value
    const p = pending.current
    if (p.frame !== null || p.timer !== null) return
    const show = (): void => {
      p.frame = requestAnimationFrame(() => {
        p.frame = null
        lastShown.current = performance.now()
        setShown(latest.current)
      })
    }
    const wait = lastShown.current + minMs - performance.now()
    if (wait <= 0) show()
    else
      p.timer = setTimeout(() => {
        p.timer = null
        show()
      }, wait)
  }, [value, minMs])

  useEffect(() => {
    const p = pending.current
    return () => {
      if (p.frame !== null) cancelAnimationFrame(p.frame)
      if (p.timer !== null) clearTimeout(p.timer)
      p.frame = p.timer = null
    }
  }, [])
  return shown
}
