import {
  ATTACH_CHUNK_MAX_CHARS,
  MAX_REQUEST_BYTES,
  PROMPT_MAX_CHARS,
} from '../../../../shared/contract'

/**
 * How a message's size compares with what the host takes: at most `PROMPT_MAX_CHARS` characters
 * (after trimming, as the contract counts) and a request of at most `MAX_REQUEST_BYTES`.
 */
export interface PromptSize {
  /** Characters, as the contract counts them. */
  chars: number
  /** Show "chars / limit": from `HINT_FROM` of the limit on. */
  near: boolean
  /** Why it cannot be sent as it is; null when it can. */
  over: string | null
}

/** Share of the limit from which the composer shows the count. */
export const HINT_FROM = 0.8
/** Room left in a request for everything but the text (ids, mode, model), in bytes. */
const ENVELOPE_BYTES = 1024
/** JSON spends at most 6 bytes on a character: shorter text always fits a request. */
const ALWAYS_FITS_CHARS = Math.floor((MAX_REQUEST_BYTES - ENVELOPE_BYTES) / 6)

const count = new Intl.NumberFormat('en-US')

/** `1,234` */
export function formatCount(n: number): string {
  return count.format(n)
}

function kb(bytes: number): string {
  return `${count.format(Math.ceil(bytes / 1024))} KB`
}

export function promptSize(text: string): PromptSize {
  const chars = text.trim().length
  const near = chars >= PROMPT_MAX_CHARS * HINT_FROM
  if (chars > PROMPT_MAX_CHARS) {
    return {
      chars,
      near,
      over: `This message is too long to send: ${formatCount(chars)} characters, and the limit is ${formatCount(PROMPT_MAX_CHARS)}.`,
    }
  }
  if (chars > ALWAYS_FITS_CHARS) {
    // Characters outside ASCII take several bytes: the request may pass its limit first.
    const bytes = new TextEncoder().encode(JSON.stringify(text)).length + ENVELOPE_BYTES
    if (bytes > MAX_REQUEST_BYTES) {
      return {
        chars,
        near: true,
        over: `This message is too large to send: ${kb(bytes)}, and the limit is ${kb(MAX_REQUEST_BYTES)}.`,
      }
    }
  }
  return { chars, near, over: null }
}

/** `text` in pieces of at most `max` characters, never splitting a surrogate pair. */
export function chunks(text: string, max: number = ATTACH_CHUNK_MAX_CHARS): string[] {
  const out: string[] = []
  let at = 0
  while (at < text.length) {
    let end = Math.min(at + max, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--
    if (end === at) end = Math.min(at + 2, text.length)
    out.push(text.slice(at, end))
    at = end
  }
  return out
}
