import { useEffect, useState } from 'react'

/**
 * The wall clock (ms), re-read every `intervalMs` while `active` — for what counts on screen (a
 * running tool's elapsed time, a retry's countdown). A local timer, not a poll of the host.
 */
export function useNow(active: boolean, intervalMs = 500): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!active) return
    const tick = (): void => setNow(Date.now())
    const id = setInterval(tick, intervalMs)
    const first = setTimeout(tick, 0)
    return () => {
      clearInterval(id)
      clearTimeout(first)
    }
  }, [active, intervalMs])
  return now
}
