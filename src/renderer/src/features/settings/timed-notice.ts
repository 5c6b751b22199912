import { useCallback, useEffect, useState } from 'react'

/** How long a Settings notice ("Added “fake”.") stays on screen, in ms. */
export const SETTINGS_NOTICE_MS = 8_000

/**
 * A short notice that clears itself after {@link SETTINGS_NOTICE_MS}: the text to show (empty when
 * none) and the function that shows one. Show it in a live region that stays in the page, so a
 * screen reader hears each new text.
 */
export function useTimedNotice(): [string, (text: string) => void] {
  const [notice, setNotice] = useState({ text: '', serial: 0 })
  useEffect(() => {
    if (notice.text === '') return
    const timer = setTimeout(() => setNotice((n) => ({ ...n, text: '' })), SETTINGS_NOTICE_MS)
    return () => clearTimeout(timer)
  }, [notice])
  const show = useCallback((text: string) => setNotice((n) => ({ text, serial: n.serial + 1 })), [])
  return [notice.text, show]
}
