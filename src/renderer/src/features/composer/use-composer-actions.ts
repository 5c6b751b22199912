import { useCallback, useRef, useState } from 'react'
import type { ErrorCode } from '../../../../shared/errors'
import { ContractError } from '../../../../shared/errors'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import { useCompactStore } from '../context/compact-store'
import type { Mode } from './composer-storage'

export interface ComposerError {
  code: ErrorCode | null
  message: string
}

export interface ComposerActions {
  /** A call is on its way (buttons wait for it). */
  busy: boolean
  error: ComposerError | null
  clearError(): void
  send(text: string): void
  steer(text: string): void
  queue(text: string): void
  stop(): void
  continueRun(approveSpend: boolean): void
}

/**
 * What the composer's buttons and keys do, against the contract. A message leaves the box only
 * once the host took it: on any error the draft stays and the error is shown ("no model" only
 * until the providers change: then it no longer holds).
 */
export function useComposerActions(opts: {
  sessionId: string
  mode: Mode
  /** The model ref to send, when the user picked one other than the session's. */
  model: string | null
  /** Called after a message was accepted, with its text. */
  onSent: (text: string) => void
}): ComposerActions {
  const { sessionId, mode, model, onSent } = opts
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ComposerError | null>(null)
  const providersVersion = useAppStore((s) => s.providersVersion)
  /** The providers as they were when "no model" was said. */
  const [noModelAt, setNoModelAt] = useState(-1)
  const inFlight = useRef(false)

  const run = useCallback(
    (call: () => Promise<unknown>, after?: () => void, onError?: () => void): void => {
      if (inFlight.current) return
      inFlight.current = true
      setBusy(true)
      setError(null)
      call()
        .then(
          () => after?.(),
          (err: unknown) => {
            onError?.()
            const code = err instanceof ContractError ? err.code : null
            if (code === 'no_model') setNoModelAt(useAppStore.getState().providersVersion)
            setError({ code, message: errorMessage(err) })
          },
        )
        .finally(() => {
          inFlight.current = false
          setBusy(false)
        })
    },
    [],
  )

  const send = useCallback(
    (text: string) => {
      if (!text.trim()) return
      run(
        () =>
          getClient().call('sessions.prompt', {
            sessionId,
            text,
            mode,
            ...(model ? { model } : {}),
          }),
        () => onSent(text),
      )
    },
    [run, sessionId, mode, model, onSent],
  )

  const enqueue = useCallback(
    (kind: 'steer' | 'follow_up', text: string) => {
      if (!text.trim()) return
      const id = crypto.randomUUID()
      const { addQueued, removeQueued } = useAppStore.getState()
      // Shown before the call: the log may take it in before the call's answer arrives.
      addQueued(sessionId, { id, kind, text: text.trim() })
      run(
        () =>
          kind === 'steer'
            ? getClient().call('sessions.steer', { sessionId, text })
            : getClient().call('sessions.followUp', { sessionId, text }),
        () => onSent(text),
        () => removeQueued(sessionId, id),
      )
    },
    [run, sessionId, onSent],
  )

  const stop = useCallback(() => {
    useCompactStore.getState().markStopped(sessionId)
    getClient()
      .call('sessions.abort', { sessionId })
      .catch((err: unknown) => setError({ code: null, message: errorMessage(err) }))
  }, [sessionId])

  const continueRun = useCallback(
    (approveSpend: boolean) =>
      run(() =>
        getClient().call('sessions.continue', {
          sessionId,
          mode,
          ...(model ? { model } : {}),
          ...(approveSpend ? { approveSpend: true } : {}),
        }),
      ),
    [run, sessionId, mode, model],
  )

  return {
    busy,
    error: error?.code === 'no_model' && noModelAt !== providersVersion ? null : error,
    clearError: useCallback(() => setError(null), []),
    send,
    steer: useCallback((text: string) => enqueue('steer', text), [enqueue]),
    queue: useCallback((text: string) => enqueue('follow_up', text), [enqueue]),
    stop,
    continueRun,
  }
}
