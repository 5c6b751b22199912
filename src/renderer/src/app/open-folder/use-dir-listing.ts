import { useCallback, useEffect, useRef, useState } from 'react'
import type { DirListing } from '../../../../shared/model'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export interface DirListingState {
  listing: DirListing | null
  loading: boolean
  /** Why the last navigation failed (the previous listing stays on screen). */
  error: string | null
  showHidden: boolean
  /** List `path` (the host's home folder when undefined). */
  navigate: (path?: string) => void
  setShowHidden: (show: boolean) => void
}

/** The host-side folder browser's state. Only the latest request's answer is kept. */
export function useDirListing(): DirListingState {
  const [listing, setListing] = useState<DirListing | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [showHidden, setShowHiddenState] = useState(false)
  const request = useRef(0)

  const load = useCallback((path: string | undefined, hidden: boolean): void => {
    const id = ++request.current
    setLoading(true)
    getClient()
      .call(
        'fs.listDirs',
        path === undefined ? { showHidden: hidden } : { path, showHidden: hidden },
      )
      .then(
        (next) => {
          if (id !== request.current) return
          setListing(next)
          setError(null)
          setLoading(false)
        },
        (err: unknown) => {
          if (id !== request.current) return
          setError(errorMessage(err))
          setLoading(false)
        },
      )
  }, [])

  useEffect(() => {
    const id = ++request.current
    getClient()
      .call('fs.listDirs', {})
      .then(
        (next) => id === request.current && setListing(next),
        (err: unknown) => id === request.current && setError(errorMessage(err)),
      )
      .finally(() => id === request.current && setLoading(false))
  }, [])

  const navigate = useCallback((path?: string) => load(path, showHidden), [load, showHidden])

  const setShowHidden = useCallback(
    (show: boolean) => {
      setShowHiddenState(show)
      load(listing?.path, show)
    },
    [load, listing?.path],
  )

  return { listing, loading, error, showHidden, navigate, setShowHidden }
}
