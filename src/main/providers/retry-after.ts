/**
 * How long a server asked us to wait, in ms: `retry-after-ms` (OpenAI, Azure, Anthropic) wins over
 * `retry-after` (seconds, or an HTTP date). Undefined when it did not say.
 */
export function retryAfterMs(headers: unknown, now: number = Date.now()): number | undefined {
  const get = (headers as { get?: (name: string) => string | null } | undefined)?.get
  if (typeof get !== 'function') return undefined
  const msRaw = get.call(headers, 'retry-after-ms')
  const ms = Number(msRaw)
  if (msRaw !== null && msRaw !== '' && Number.isFinite(ms)) return Math.max(0, ms)
  const raw = get.call(headers, 'retry-after')
  if (!raw) return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000))
  const date = Date.parse(raw)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
