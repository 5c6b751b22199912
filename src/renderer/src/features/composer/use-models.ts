import { useCallback, useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type ModelList = MethodOutput<'models.list'>

/**
 * The models a prompt can run with (`models.list`: catalog, detected local servers, custom
 * endpoints, the host's own). Fetched on mount, when the picker is opened, and whenever the host
 * says its providers changed.
 */
export function useModels(): { list: ModelList | null; error: string | null; refresh(): void } {
  const [list, setList] = useState<ModelList | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(() => {
    getClient()
      .call('models.list', {})
      .then(
        (l) => {
          setList(l)
          setError(null)
        },
        (err: unknown) => setError(errorMessage(err)),
      )
  }, [])
  const providersVersion = useAppStore((s) => s.providersVersion)
  useEffect(() => {
    refresh()
  }, [refresh, providersVersion])
  return { list, error, refresh }
}
