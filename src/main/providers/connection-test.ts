import { z } from 'zod'
import type { MethodOutput } from '../../shared/contract'
import type { FetchFn } from './http-client'
import { ModelListError, fetchJson, fetchModelList } from './model-list'

/**
 * "Test connection": list the endpoint's models with the key, and say in one line what a person
 * can do about the answer. OpenAI-compatible: `GET <baseUrl>/models` with a Bearer key.
 * Anthropic: `GET <baseUrl>/v1/models` with `x-api-key` and `anthropic-version` (the base URL has
 * no `/v1`, as for the Messages API).
 */

export type ConnectionResult = MethodOutput<'providers.test'>

export interface ConnectionTarget {
  kind: 'openai' | 'anthropic'
  baseUrl: string
  /** Null or empty: no key (local servers need none). */
  apiKey: string | null
}

export interface ConnectionTestOptions {
  fetch?: FetchFn
  /** Default 5 s: a test is interactive. */
  timeoutMs?: number
}

export const ANTHROPIC_VERSION = '2023-06-01'
const DEFAULT_TIMEOUT_MS = 5_000

const AnthropicModelsSchema = z
  .object({ data: z.array(z.object({ id: z.string().min(1) }).loose()) })
  .loose()

export async function testConnection(
  target: ConnectionTarget,
  opts: ConnectionTestOptions = {},
): Promise<ConnectionResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const base = target.baseUrl.replace(/\/+$/, '')
  const apiKey = target.apiKey || null
  const url = target.kind === 'anthropic' ? `${base}/v1/models` : `${base}/models`
  // Our own deadline, so a slow server is told apart from the caller giving up (no caller here).
  const signal = AbortSignal.timeout(timeoutMs)
  const result = await list(target.kind, base, url, apiKey, signal, timeoutMs, opts.fetch).then(
    (models): ConnectionResult => ({
      verdict: 'ok',
      message: models.length
        ? `Connected: ${models.length} model${models.length === 1 ? '' : 's'} listed.`
        : 'Connected, but the server lists no models: type the model names yourself.',
      models,
    }),
    (err: unknown): ConnectionResult => ({
      ...classify(err, url, apiKey !== null, timeoutMs),
      models: [],
    }),
  )
  return apiKey ? { ...result, message: scrub(result.message, apiKey) } : result
}

async function list(
  kind: ConnectionTarget['kind'],
  base: string,
  url: string,
  apiKey: string | null,
  signal: AbortSignal,
  timeoutMs: number,
  fetch: FetchFn | undefined,
): Promise<string[]> {
  // The listing's own deadline comes after ours, so a timeout is always reported as ours.
  const slack = { signal, timeoutMs: timeoutMs + 1_000 }
  if (kind === 'openai') {
    const models = await fetchModelList(base, {
      ...(apiKey ? { apiKey } : {}),
      ...slack,
      ...(fetch ? { fetch } : {}),
    })
    return models.map((m) => m.id)
  }
  const doFetch = fetch ?? globalThis.fetch
  const withAnthropicHeaders = ((input: Parameters<FetchFn>[0], init?: RequestInit) =>
    doFetch(input, {
      ...init,
      headers: {
        ...(init?.headers as Record<string, string>),
        'anthropic-version': ANTHROPIC_VERSION,
        ...(apiKey ? { 'x-api-key': apiKey } : {}),
      },
    })) as FetchFn
  const body = await fetchJson(`${url}?limit=1000`, { ...slack, fetch: withAnthropicHeaders })
  const parsed = AnthropicModelsSchema.safeParse(body)
  if (!parsed.success) {
    throw new ModelListError('not_openai_compatible', `${url} answered without a model list`, 200)
  }
  return parsed.data.data.map((m) => m.id)
}

function classify(
  err: unknown,
  url: string,
  hadKey: boolean,
  timeoutMs: number,
): Omit<ConnectionResult, 'models'> {
  const origin = originOf(url)
  if (!(err instanceof ModelListError)) {
    return { verdict: 'unreachable', message: `Cannot reach ${origin}: ${describe(err)}.` }
  }
  switch (err.kind) {
    case 'unauthorized':
      return {
        verdict: 'bad_key',
        message: !hadKey
          ? `The server wants a key (${err.status}): enter one, or name the variable that holds it.`
          : err.status === 403
            ? 'The server refused the key (403): it may lack access to this API.'
            : `The server rejected the key (${err.status}).`,
      }
    case 'aborted':
      return {
        verdict: 'unreachable',
        message: `${origin} did not answer within ${
          timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`
        }.`,
      }
    case 'server':
      return {
        verdict: 'unreachable',
        message: `${origin} answered ${err.status}: the server is there but failing; try again later.`,
      }
    case 'unreachable':
      return { verdict: 'unreachable', message: unreachableMessage(err, origin) }
    case 'not_openai_compatible':
      return { verdict: 'not_compatible', message: notCompatibleMessage(err, url) }
  }
}

function unreachableMessage(err: ModelListError, origin: string): string {
  const code = causeCode(err)
  const host = hostOf(origin)
  if (code === 'ECONNREFUSED') return `Nothing answers at ${origin} (connection refused).`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `Cannot find the host ${host} (DNS): check the address.`
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return `${origin} did not accept a connection in time.`
  }
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS/.test(code)) {
    return (
      `The certificate of ${host} is not trusted (${code}): if a company proxy inspects TLS, ` +
      'set network.caFile to its CA bundle.'
    )
  }
  if (code === 'ECONNRESET') return `${origin} closed the connection (reset).`
  return `Cannot reach ${origin}${code ? ` (${code})` : ''}.`
}

function notCompatibleMessage(err: ModelListError, url: string): string {
  if (err.status === 404) {
    return `There is no model list at ${url} (404): check the base URL.`
  }
  if (err.status === 401 || err.status === 403) {
    return (
      `${url} answered ${err.status} with a web page: that is not a model API refusing the key ` +
      '(a login page or a proxy may be in front of it); check the base URL.'
    )
  }
  if (err.status !== undefined && err.status !== 200) {
    return `${url} answered ${err.status}: this does not look like the expected API.`
  }
  if (/<!doctype|<html/i.test(err.message)) {
    return `${url} answered with a web page, not a model list: check the base URL.`
  }
  return `${url} answered, but not with a model list: this does not look like the expected API.`
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND, a TLS code) in a chain of causes. */
function causeCode(err: unknown): string | undefined {
  let e: unknown = err
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return url
  }
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).hostname
  } catch {
    return origin
  }
}

/** A message must never carry the key, whatever a server echoed. */
function scrub(message: string, apiKey: string): string {
  return message.split(apiKey).join('[key]')
}
