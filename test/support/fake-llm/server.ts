import { createServer } from 'node:http'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MessageCreateParams } from '@anthropic-ai/sdk/resources/messages'
import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions'
import { anthropicError } from './anthropic-errors'
import { handleMessages } from './anthropic-handler'
import type { ErrorAnswer } from './errors'
import { apiError, contextOverflow, noTurnLeft, notFound, scriptedError } from './errors'
import { renderReply } from './reply'
import { windowOf } from './window'
import { sendCompletion, streamEvents } from './sse'
import type { FakeLlm, RecordedRequest, StartFakeLlmOptions, Turn } from './types'
import { checkStrict } from './strict'
import { validateChatRequest } from './validate'

const CHAT_PATH = '/v1/chat/completions'
/** Anthropic's Messages API, served from the same script. */
const MESSAGES_PATH = '/v1/messages'

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (part: Buffer) => parts.push(part))
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')))
    req.on('error', reject)
  })
}

function parseBody(raw: string): unknown {
  if (raw === '') return null
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return raw
  }
}

function sendJson(res: ServerResponse, answer: ErrorAnswer, headers: Record<string, string>): void {
  const text = JSON.stringify(answer.body)
  res.writeHead(answer.status, {
    ...headers,
    ...answer.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** The key a request presents: Anthropic's `x-api-key`, else an OpenAI `Bearer` token. */
function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const xApiKey = headers['x-api-key']
  if (typeof xApiKey === 'string') return xApiKey
  const auth = headers.authorization
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined
}

/** `GET /v1/models` as Anthropic answers it. */
function anthropicModelList(models: string[]): object {
  return {
    data: models.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: '2025-01-01T00:00:00Z',
    })),
    has_more: false,
    first_id: models[0] ?? null,
    last_id: models.at(-1) ?? null,
  }
}

/**
 * Starts a loopback server that speaks OpenAI Chat Completions (and Anthropic Messages) over
 * HTTP + SSE and answers each valid `POST /v1/chat/completions` (or `POST /v1/messages`) with
 * the next scripted turn.
 */
export async function startFakeLlm(opts: StartFakeLlmOptions = {}): Promise<FakeLlm> {
  const turns: Turn[] = []
  const requests: RecordedRequest[] = []
  const accepted: ChatCompletionCreateParams[] = []
  const acceptedMessages: MessageCreateParams[] = []
  let served = 0

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req)
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: parseBody(raw),
      at: Date.now(),
      status: null,
    }
    requests.push(record)
    const number = requests.length
    const pathname = record.path.split('?')[0]
    const anthropic = record.method === 'POST' && pathname === MESSAGES_PATH
    // Each API names its request id header its own way.
    const headers: Record<string, string> = anthropic
      ? { 'request-id': `req_fake_${number}` }
      : { 'x-request-id': `req_fake_${number}` }
    const answer = (a: ErrorAnswer): void => {
      record.status = a.status
      sendJson(res, a, headers)
    }

    const anthropicClient = anthropic || req.headers['anthropic-version'] !== undefined
    if (opts.apiKey !== undefined && presentedKey(req.headers) !== opts.apiKey) {
      answer(
        anthropicClient
          ? {
              status: 401,
              headers: {},
              body: anthropicError('authentication_error', 'invalid x-api-key'),
            }
          : scriptedError({ status: 401 }, '', req.headers),
      )
      return
    }

    if (anthropic) {
      const take = (): { turn: Turn | undefined; served: number } => {
        const own = opts.answer?.(record.body as MessageCreateParams, 'anthropic')
        const turn = own ?? turns.shift()
        if (turn) served += 1
        return { turn, served }
      }
      await handleMessages(req, res, {
        record,
        requestNumber: number,
        take,
        accepted: acceptedMessages,
        answer,
        headers,
        ...(opts.contextWindow !== undefined ? { contextWindow: opts.contextWindow } : {}),
      })
      return
    }
    if (
      record.method === 'GET' &&
      opts.models &&
      (pathname === '/v1/models' || pathname === '/api/tags')
    ) {
      const created = Math.floor(Date.now() / 1000)
      const body =
        pathname === '/v1/models' && anthropicClient
          ? anthropicModelList(opts.models)
          : pathname === '/v1/models'
            ? {
                object: 'list',
                data: opts.models.map((id) => ({ id, object: 'model', created, owned_by: 'fake' })),
              }
            : {
                models: opts.models.map((name) => ({ name, model: name, size: 1, digest: 'fake' })),
              }
      answer({ status: 200, headers: {}, body })
      return
    }
    if (record.method !== 'POST' || pathname !== CHAT_PATH) {
      answer(notFound(record.method, pathname ?? record.path))
      return
    }
    // A body that is not JSON reaches validation as a string and gets the real parse error.
    const invalid = validateChatRequest(record.body) ?? checkStrict(record.body, opts.strict)
    if (invalid) {
      answer(invalid)
      return
    }
    const body = record.body as ChatCompletionCreateParams
    // What the prompt costs: messages (system included) and tools, about 4 characters a token.
    const promptChars = JSON.stringify([body.messages, body.tools ?? []]).length
    const prompt = Math.ceil(promptChars / 4)
    const window = windowOf(opts.contextWindow, body.model)
    if (window !== undefined && prompt > window) {
      answer(contextOverflow(window, prompt))
      return
    }
    accepted.push(body)
    const turn = opts.answer?.(body, 'openai') ?? turns.shift()
    if (!turn) {
      answer(noTurnLeft(number, served))
      return
    }
    served += 1
    if ('error' in turn) {
      answer(scriptedError(turn.error, body.model, req.headers))
      return
    }
    if (turn.gate) await turn.gate
    const stream = body.stream === true
    const rendered = renderReply(turn, {
      id: `chatcmpl-fake${String(served).padStart(4, '0')}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      turnNumber: served,
      promptChars,
      includeUsage: stream && body.stream_options?.include_usage === true,
    })
    if (stream) {
      record.status = 200
      await streamEvents(req, res, rendered.chunks, turn, headers)
      return
    }
    if (rendered.completion === null) {
      const message = 'fake LLM: a rawChunks turn can only answer a request with stream: true'
      answer({ status: 500, headers: {}, body: apiError(message, 'server_error') })
      return
    }
    record.status = 200
    await sendCompletion(req, res, rendered.completion, turn, headers)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake itself: say so in the answer rather than leave the client hanging.
      const message = `fake LLM internal error: ${err instanceof Error ? err.stack : String(err)}`
      if (!res.headersSent) {
        sendJson(res, { status: 500, headers: {}, body: apiError(message, 'server_error') }, {})
      } else {
        res.destroy()
      }
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  let closing: Promise<void> | undefined

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicBaseUrl: `http://127.0.0.1:${port}`,
    requests,
    script(...more: Turn[]): void {
      turns.push(...more)
    },
    pending(): number {
      return turns.length
    },
    chatRequests(): ChatCompletionCreateParams[] {
      return [...accepted]
    },
    messagesRequests(): MessageCreateParams[] {
      return [...acceptedMessages]
    },
    close(): Promise<void> {
      closing ??= new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
      return closing
    },
  }
}
