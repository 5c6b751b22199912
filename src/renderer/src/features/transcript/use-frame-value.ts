import { useEffect, useRef, useState } from 'react'

/**
 * `value`, passed on at most once per animation frame: what streams in faster than the screen
 * refreshes (a message's markdown, re-parsed on each change) renders once per frame, with the
 * latest value.
 */
export function useFrameValue<T>(value: T): T {
  const [shown, setShown] = useState(value)
  const latest = useRef(value)
  const pending = useRef<number | null>(null)

  useEffect(() => {
    latest.current = value
    if (pending.current !== null) return
    pending.current = requestAnimationFrame(() => {
      pending.current = null
      setShown(latest.current)
    })
  }, [value])

  useEffect(
    () => () => {
      if (pending.current !== null) cancelAnimationFrame(pending.current)
      pending.current = null
    },
    [],
  )
  return shown
}
