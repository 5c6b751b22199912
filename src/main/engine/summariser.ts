import { ContractError } from '../../shared/errors'
import { SUMMARY_SYSTEM } from '../context/compaction'
import type { ChatMessage, StreamFn, ToolSpec } from '../providers/types'
import { ProviderError } from '../providers/types'

/**
 * One summarisation request: no tools, the history in one user message; the text the model
 * returns. A summariser that sends nothing for `stallMs` is given up, and every failure is an
 * `io_error` that says nothing was compacted (an abort stays an abort).
 */
export function summariseOnce(
  model: { stream: StreamFn; providerModel: string },
  content: string,
  signal: AbortSignal,
  stallMs: number,
): Promise<string> {
  return completeOnce(
    model,
    {
      system: SUMMARY_SYSTEM,
      content,
      task: 'summarised the conversation',
      failed: 'could not summarise the conversation',
      empty: 'an empty summary',
      outcome: 'nothing was compacted',
    },
    signal,
    stallMs,
  )
}

/** What a one-off request asks, and how its failures are worded. */
export interface OneOffRequest {
  system: string
  content: string
  /** "summarised the conversation": the model stopped answering while it … */
  task: string
  /** "could not summarise the conversation": the model … */
  failed: string
  /** "an empty summary": the model returned … */
  empty: string
  /** "nothing was compacted": what a failure leaves. */
  outcome: string
}

/**
 * One request without tools: the text the model returns. Given up after `stallMs` without a
 * byte; every failure is an `io_error` worded by `request` (an abort stays an abort).
 */
export async function completeOnce(
  model: { stream: StreamFn; providerModel: string },
  request: OneOffRequest,
  signal: AbortSignal,
  stallMs: number,
): Promise<string> {
  const { content } = request
  const controller = new AbortController()
  const onAbort = (): void => controller.abort()
  signal.addEventListener('abort', onAbort, { once: true })
  let stalled = false
  let timer: NodeJS.Timeout | undefined
  const arm = (): void => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      stalled = true
      controller.abort()
    }, stallMs)
  }
  const messages: ChatMessage[] = [{ role: 'user', content }]
  let text = ''
  try {
    arm()
    for await (const ev of model.stream({
      model: model.providerModel,
      system: request.system,
      messages,
      tools: [] as ToolSpec[],
      signal: controller.signal,
    })) {
      arm()
      if (ev.type === 'text_delta') text += ev.text
      else if (ev.type === 'done') text = ev.turn.content || text
    }
  } catch (err) {
    if (stalled) {
      const wait = stallMs < 1_000 ? `${stallMs} ms` : `${Math.round(stallMs / 1000)} s`
      throw new ContractError(
        'io_error',
        `The model stopped answering while it ${request.task} (nothing for ${wait}); ${request.outcome}.`,
      )
    }
    signal.throwIfAborted()
    const message = err instanceof Error ? err.message : String(err)
    const kind = err instanceof ProviderError ? ` (${err.kind})` : ''
    throw new ContractError('io_error', `The model ${request.failed}${kind}: ${message}`)
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
  }
  signal.throwIfAborted()
  if (!text.trim()) {
    throw new ContractError('io_error', `The model returned ${request.empty}; ${request.outcome}.`)
  }
  return text.trim()
}
