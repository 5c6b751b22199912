import { MAX_REQUEST_BYTES } from './contract/host'

/**
 * Requests over `MAX_REQUEST_BYTES`: how big one is, and the sentence that refuses it — the same
 * from the host's dispatcher and from a client that checks before sending.
 */

/** Methods whose size is a message's text: too large, it belongs in a file. */
const TEXT_METHODS: ReadonlySet<string> = new Set([
  'sessions.prompt',
  'sessions.steer',
  'sessions.followUp',
])

/** Bytes of `text` in UTF-8 (a lone surrogate counts as the 3 bytes of its replacement). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** Bytes as a person reads them: KB (rounded up, so over the limit never reads as the limit) or MB. */
function size(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'too large to measure'
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** Why a request of `bytes` to `method` is refused, and what to do about it. */
export function requestTooLargeMessage(method: string, bytes: number): string {
  const hint = TEXT_METHODS.has(method)
    ? ' Put long text in a file in the workspace and mention the file instead.'
    : ''
  return `This request is too large to send (${size(bytes)}; the limit is ${size(MAX_REQUEST_BYTES)}).${hint}`
}
