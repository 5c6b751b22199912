import { useCallback, useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type ModelList = MethodOutput<'models.list'>

/**
 * The models a prompt can run with (`models.list`: catalog, detected local servers, custom
 * endpoints, the host's own). Fetched on mount and when the picker is opened, since providers
 * change in Settings without an event.
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
  useEffect(() => {
    refresh()
  }, [refresh])
  return { list, error, refresh }
}
