import { z } from 'zod'

/**
 * The models an OpenAI-compatible endpoint offers (`GET {baseUrl}/models`): OpenAI, OpenRouter,
 * Groq, Together, DeepSeek, Ollama's and LM Studio's `/v1`, vLLM, llama.cpp's server.
 */

export type ModelListErrorKind =
  /** Connection refused, DNS failure, reset, or no answer within the timeout. */
  | 'unreachable'
  /** 401 or 403 with an API's error (JSON, or no body): the key is missing, wrong, or lacks access. */
  | 'unauthorized'
  /**
   * Answered, but not like an OpenAI-compatible API: 404 or another 4xx, non-JSON, wrong shape, or
   * a 401 / 403 whose body is a web page or plain text (a login page or proxy, not the API).
   */
  | 'not_openai_compatible'
  /** 408, 429 or 5xx: the server is there but failing; worth retrying later. */
  | 'server'
  /** The caller's signal aborted the request. */
  | 'aborted'

export class ModelListError extends Error {
  constructor(
    readonly kind: ModelListErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ModelListError'
  }
}

export interface ListedModel {
  /** The provider's model name, as requests must send it. */
  id: string
  ownedBy?: string
  /** Tokens, when the server says (OpenRouter, Groq, Together, vLLM do; OpenAI does not). */
  contextWindow?: number
}

export interface FetchJsonOptions {
  apiKey?: string
  signal?: AbortSignal
  /** Default 10 s. */
  timeoutMs?: number
  /** Injectable for tests and proxies; default the global fetch. */
  fetch?: typeof fetch
}

export type FetchModelListOptions = FetchJsonOptions

const DEFAULT_TIMEOUT_MS = 10_000

/** An optional field a server may send as null, or with a type we do not expect: then absent. */
const optionalString = z.string().min(1).optional().catch(undefined)
const optionalTokens = z.number().int().positive().optional().catch(undefined)

const ModelEntrySchema = z
  .object({
    id: z.string().min(1),
    owned_by: optionalString,
    /** Together names the owner this way. */
    organization: optionalString,
    /** OpenRouter, Together. */
    context_length: optionalTokens,
    /** Groq. */
    context_window: optionalTokens,
    /** vLLM. */
    max_model_len: optionalTokens,
  })
  .loose()

/** `{ object: 'list', data: [...] }`, or a bare array (Together). */
const ModelListSchema = z.union([
  z.object({ data: z.array(ModelEntrySchema) }).loose(),
  z.array(ModelEntrySchema),
])

/**
 * List the models at `baseUrl` (which already ends in `/v1` or the provider's equivalent). Throws
 * {@link ModelListError}: `unreachable`, `unauthorized`, `not_openai_compatible`, `server`, or
 * `aborted`.
 */
export async function fetchModelList(
  baseUrl: string,
  opts: FetchModelListOptions = {},
): Promise<ListedModel[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/models`
  const body = await fetchJson(url, opts)
  const parsed = ModelListSchema.safeParse(body)
  if (!parsed.success) {
    throw new ModelListError(
      'not_openai_compatible',
      `${url} did not answer with an OpenAI model list: ${z.prettifyError(parsed.error)}`,
      200,
    )
  }
  const entries = Array.isArray(parsed.data) ? parsed.data : parsed.data.data
  return entries.map((e) => {
    const model: ListedModel = { id: e.id }
    const ownedBy = e.owned_by ?? e.organization
    if (ownedBy) model.ownedBy = ownedBy
    const contextWindow = e.context_length ?? e.context_window ?? e.max_model_len
    if (contextWindow) model.contextWindow = contextWindow
    return model
  })
}

/**
 * GET a JSON document with a timeout, classifying every failure as a {@link ModelListError}. The
 * shared transport of {@link fetchModelList} and the local-server probes.
 */
export async function fetchJson(url: string, opts: FetchJsonOptions = {}): Promise<unknown> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`
  const doFetch = opts.fetch ?? fetch

  const fail = (err: unknown): ModelListError => {
    if (opts.signal?.aborted) {
      return new ModelListError('aborted', `listing ${url} was aborted`, undefined, { cause: err })
    }
    if (timeout.aborted) {
      return new ModelListError('unreachable', `${url} did not answer within ${timeoutMs} ms`)
    }
    return new ModelListError('unreachable', `cannot reach ${url}: ${describe(err)}`, undefined, {
      cause: err,
    })
  }

  let res: Response
  try {
    res = await doFetch(url, { method: 'GET', headers, signal })
  } catch (err) {
    throw fail(err)
  }
  let text: string
  try {
    text = await res.text()
  } catch (err) {
    throw fail(err)
  }
  if (!res.ok) throw statusError(url, res.status, text)
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ModelListError(
      'not_openai_compatible',
      `${url} answered ${res.status} with something that is not JSON: ${excerpt(text)}`,
      res.status,
    )
  }
}

function statusError(url: string, status: number, body: string): ModelListError {
  const detail = `${url} answered ${status}${body ? `: ${excerpt(body)}` : ''}`
  if (status === 401 || status === 403) {
    return new ModelListError(
      isApiError(body) ? 'unauthorized' : 'not_openai_compatible',
      detail,
      status,
    )
  }
  if (status === 408 || status === 429 || status >= 500) {
    return new ModelListError('server', detail, status)
  }
  return new ModelListError('not_openai_compatible', detail, status)
}

/**
 * Whether a refusal reads like a model API's own: a JSON object (OpenAI's `{error: {...}}`,
 * Anthropic's `{type: 'error', …}`, a gateway's `{message}`), a line of plain text ("Unauthorized",
 * "Invalid API key": some gateways answer so) or nothing at all. A web page comes from something
 * in front of the API (a login page, a proxy), or from no API.
 */
function isApiError(body: string): boolean {
  return !/^\s*</.test(body)
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
    return `${err.message} (${cause.code})`
  }
  return err.message
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}
