import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A time-ordered, URL-safe id: 9 base-36 chars of milliseconds, then 12 random base-36 chars.
 * Lexicographic order follows creation time across processes (to the millisecond).
 */
export function newId(now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0')
  const bytes = randomBytes(12)
  let rand = ''
  for (const b of bytes) rand += ALPHABET[b % 36]
  return time + rand
}

/** A random secret for tokens and cookies: 32 bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}
