import { ContractError } from '../../shared/errors'
import { SUMMARY_SYSTEM } from '../context/compaction'
import type { ChatMessage, StreamFn, ToolSpec } from '../providers/types'
import { ProviderError } from '../providers/types'

/**
 * One summarisation request: no tools, the history in one user message; the text the model
 * returns. A summariser that sends nothing for `stallMs` is given up, and every failure is an
 * `io_error` that says nothing was compacted (an abort stays an abort).
 */
export async function summariseOnce(
  model: { stream: StreamFn; providerModel: string },
  content: string,
  signal: AbortSignal,
  stallMs: number,
): Promise<string> {
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
      system: SUMMARY_SYSTEM,
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
        `The model stopped answering while it summarised the conversation (nothing for ${wait}); nothing was compacted.`,
      )
    }
    signal.throwIfAborted()
    const message = err instanceof Error ? err.message : String(err)
    const kind = err instanceof ProviderError ? ` (${err.kind})` : ''
    throw new ContractError(
      'io_error',
      `The model could not summarise the conversation${kind}: ${message}`,
    )
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
  }
  signal.throwIfAborted()
  if (!text.trim()) {
    throw new ContractError(
      'io_error',
      'The model returned an empty summary; nothing was compacted.',
    )
  }
  return text.trim()
}
