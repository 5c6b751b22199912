/**
 * Redaction of secrets from what Paddock writes down (logs, session entries, events).
 *
 * Two ways: by value — every key the SecretStore holds or hands out is learned here, write-only
 * (nothing can list what was learned; only the redaction below reads it) — and, for logs, by
 * pattern: API-key-shaped tokens that Paddock never stored (a key in an error message, a header).
 */

export const REDACTED = '[REDACTED]'

/** Values shorter than this are not learned: redacting `abc` everywhere would eat plain words. */
export const MIN_SECRET_CHARS = 8

const known = new Set<string>()

/** Learn a secret's value, so that it is redacted from now on, in this process. */
export function learnSecret(value: string | null | undefined): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_CHARS || known.has(value)) return
  known.add(value)
}

/** Key-shaped tokens, whoever holds them. The replacement keeps what names the token. */
const PATTERNS: Array<[RegExp, string]> = [
  [/\bsk-ant-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{35}\b/g, REDACTED],
  // A long hex or base64 run after key=, token=, secret=, password= (and apiKey:, "token":"…").
  [
    /\b([A-Za-z_-]*(?:key|token|secret|passw(?:or)?d))(["']?\s*[=:]\s*["']?)([A-Za-z0-9+/_.=-]{16,})/gi,
    `$1$2${REDACTED}`,
  ],
]

/** JSON-escaped form of a value, as it appears inside a JSON string. */
function escaped(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

/** `text` with every learned secret value replaced (raw and JSON-escaped forms). */
export function redactKnownValues(text: string): string {
  if (known.size === 0) return text
  let out = text
  for (const value of known) {
    if (out.includes(value)) out = out.split(value).join(REDACTED)
    const json = escaped(value)
    if (json !== value && out.includes(json)) out = out.split(json).join(REDACTED)
  }
  return out
}

/** `text` without learned secret values nor key-shaped tokens: for log lines. */
export function redactSecrets(text: string): string {
  let out = redactKnownValues(text)
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/**
 * A JSON value with every learned secret value replaced in its strings; the same object when
 * there was none (the common case costs one serialisation).
 */
export function redactValuesIn<T>(value: T): T {
  if (known.size === 0) return value
  const json = JSON.stringify(value)
  if (json === undefined) return value
  const redacted = redactKnownValues(json)
  return redacted === json ? value : (JSON.parse(redacted) as T)
}
