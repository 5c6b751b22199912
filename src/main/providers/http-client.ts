import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import {
  Agent,
  EnvHttpProxyAgent,
  Headers as UndiciHeaders,
  Response as UndiciResponse,
  fetch as undiciFetch,
} from 'undici'
import type { Dispatcher } from 'undici'

/** How Paddock reaches model servers. Environment variables apply unless a setting overrides them. */
export interface NetworkSettings {
  /** Proxy for every provider request (else HTTPS_PROXY / HTTP_PROXY from the environment). */
  proxy?: string
  /** Hosts that bypass the proxy, comma-separated (else NO_PROXY). */
  noProxy?: string
  /** A PEM bundle of extra certificate authorities (a company's TLS-inspecting proxy). */
  caFile?: string
  /** Connect timeout, in ms. */
  connectTimeoutMs?: number
}

export type FetchFn = typeof globalThis.fetch

/**
 * The fetch every provider SDK is given. Node's own fetch ignores proxy variables, so requests go
 * through undici with a proxy-aware dispatcher: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (or the
 * settings), and the system CAs plus NODE_EXTRA_CA_CERTS plus the settings' CA file.
 */
export function createProviderFetch(
  settings: NetworkSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): FetchFn {
  const dispatcher = createDispatcher(settings, env)
  return (async (input: Parameters<FetchFn>[0], init?: Parameters<FetchFn>[1]) => {
    const res = await undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })
    return res.status >= 400 ? normalizeErrorBody(res) : res
  }) as unknown as FetchFn
}

/**
 * OpenAI-compatible servers disagree on where an error's text goes: `{"error": {"message"}}`
 * (OpenAI), a top-level `{"message"}` (vLLM, some gateways), or `{"error": "text"}` (xAI). The
 * SDKs only read the first form and would report "no body"; rewrite the others into it so the
 * provider's own words reach the classification and the user.
 */
async function normalizeErrorBody(res: UndiciResponse): Promise<UndiciResponse> {
  const text = await res.text()
  let body = text
  try {
    const json = JSON.parse(text) as Record<string, unknown> | null
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      if (typeof json.error === 'string') {
        body = JSON.stringify({
          error: { message: json.error, type: null, code: json.code ?? null },
        })
      } else if (!('error' in json) && typeof json.message === 'string') {
        body = JSON.stringify({
          error: { message: json.message, type: json.type ?? null, code: json.code ?? null },
        })
      }
    }
  } catch {
    // Not JSON: passed on as it came.
  }
  const headers = new UndiciHeaders(res.headers)
  headers.delete('content-length')
  headers.delete('content-encoding')
  return new UndiciResponse(body, {
    status: res.status,
    statusText: res.statusText,
    headers: headers as never,
  })
}

export function createDispatcher(settings: NetworkSettings, env: NodeJS.ProcessEnv): Dispatcher {
  const extraCa = [env.NODE_EXTRA_CA_CERTS, settings.caFile].filter((f): f is string => Boolean(f))
  const connect = {
    ...(extraCa.length
      ? { ca: [...rootCertificates, ...extraCa.map((f) => readFileSync(f, 'utf8'))] }
      : {}),
    ...(settings.connectTimeoutMs ? { timeout: settings.connectTimeoutMs } : {}),
  }
  const httpsProxy = settings.proxy ?? env.HTTPS_PROXY ?? env.https_proxy
  const httpProxy = settings.proxy ?? env.HTTP_PROXY ?? env.http_proxy
  if (!httpsProxy && !httpProxy) return new Agent({ connect })
  return new EnvHttpProxyAgent({
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    noProxy: settings.noProxy ?? env.NO_PROXY ?? env.no_proxy ?? '',
    connect,
  })
}
