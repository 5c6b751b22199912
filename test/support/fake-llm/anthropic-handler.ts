import type { IncomingMessage, ServerResponse } from 'node:http'
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages'
import { anthropicNoTurnLeft, promptTooLong, scriptedAnthropicError } from './anthropic-errors'
import { renderAnthropicReply } from './anthropic-reply'
import { streamAnthropicEvents } from './anthropic-sse'
import { validateMessagesRequest } from './anthropic-validate'
import type { ErrorAnswer } from './errors'
import { sendCompletion } from './sse'
import type { RecordedRequest, StartFakeLlmOptions, Turn } from './types'
import { windowOf } from './window'

/** What the server shares with this handler: its script, its records, its way of answering. */
export interface MessagesContext {
  record: RecordedRequest
  /** 1-based number of this request among all received. */
  requestNumber: number
  /**
   * Consumes the next scripted turn (shared with the OpenAI path). `served` is the 1-based
   * number of that turn, or, when none is left, how many were served.
   */
  take(): { turn: Turn | undefined; served: number }
  /** Valid request bodies, appended to. */
  accepted: MessageCreateParams[]
  /** Sends a JSON answer and records its status. */
  answer(a: ErrorAnswer): void
  /** Headers every answer carries (`request-id`). */
  headers: Record<string, string>
  /** The window the server enforces (see `StartFakeLlmOptions.contextWindow`). */
  contextWindow?: StartFakeLlmOptions['contextWindow']
}

/** Answers `POST /v1/messages` as Anthropic's Messages API does, from the next scripted turn. */
export async function handleMessages(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: MessagesContext,
): Promise<void> {
  const { record } = ctx
  const invalid = validateMessagesRequest(record.body, req.headers)
  if (invalid) {
    ctx.answer(invalid)
    return
  }
  const body = record.body as MessageCreateParams
  const promptChars = JSON.stringify([body.system ?? '', body.messages, body.tools ?? []]).length
  const prompt = Math.ceil(promptChars / 4)
  const window = windowOf(ctx.contextWindow, body.model)
  if (window !== undefined && prompt > window) {
    ctx.answer(promptTooLong(window, prompt))
    return
  }
  ctx.accepted.push(body)
  const { turn, served } = ctx.take()
  if (!turn) {
    ctx.answer(anthropicNoTurnLeft(ctx.requestNumber, served))
    return
  }
  if ('error' in turn) {
    ctx.answer(scriptedAnthropicError(turn.error))
    return
  }
  const rendered = renderAnthropicReply(turn, {
    id: `msg_fake${String(served).padStart(4, '0')}`,
    model: body.model,
    turnNumber: served,
    promptChars,
  })
  record.status = 200
  if (body.stream === true) {
    await streamAnthropicEvents(req, res, rendered.events, turn, ctx.headers)
  } else {
    await sendCompletion(req, res, rendered.message, turn, ctx.headers)
  }
}
