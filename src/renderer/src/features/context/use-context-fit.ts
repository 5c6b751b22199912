import { useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import type { Entry } from '../../../../shared/model'
import { entryFeed } from '../../app/entry-feed'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'

export type ContextFit = MethodOutput<'sessions.contextFit'>

export interface FitState {
  /** The model the answer is about (null: none asked). */
  model: string | null
  fit: ContextFit | null
  error: string | null
}

const NONE: FitState = { model: null, fit: null, error: null }

/** Entries after which the tokens in use have changed. */
export function changesContext(entry: Entry): boolean {
  return (
    entry.type === 'assistant_message' ||
    entry.type === 'turn_end' ||
    entry.type === 'compaction' ||
    entry.type === 'prune' ||
    entry.type === 'model_switch'
  )
}

/**
 * Whether the session fits model `model` (`sessions.contextFit`): its tokens in use against that
 * model's window, and the warning to show when it does not fit. Asked the moment the model is
 * picked, again when the tokens in use change (told by the event stream, never polled) and after
 * a reconnect. `model` null: nothing is asked.
 */
export function useContextFit(sessionId: string, model: string | null): FitState {
  const resyncs = useAppStore((s) => s.resyncs)
  const [state, setState] = useState<FitState & { sessionId: string }>({ sessionId, ...NONE })

  useEffect(() => {
    if (model === null) return
    let disposed = false
    let generation = 0
    const load = (): void => {
      const mine = ++generation
      getClient()
        .call('sessions.contextFit', { sessionId, model })
        .then(
          (fit) => {
            if (!disposed && mine === generation) setState({ sessionId, model, fit, error: null })
          },
          (err: unknown) => {
            if (!disposed && mine === generation)
              setState({ sessionId, model, fit: null, error: errorMessage(err) })
          },
        )
    }
    load()
    const off = entryFeed.subscribe(sessionId, (entries) => {
      if (entries.some(changesContext)) load()
    })
    return () => {
      disposed = true
      off()
    }
  }, [sessionId, model, resyncs])

  if (model === null || state.sessionId !== sessionId || state.model !== model) return NONE
  return state
}
