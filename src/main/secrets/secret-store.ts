/**
 * Where API keys rest. One interface, two backends: Electron safeStorage in the desktop app
 * (`src/main/desktop/secret-store.ts`), `<dataDir>/secrets.json` (mode 0600) in the web host and
 * the CLI ({@link FileSecretStore}). A backend is the only place a key may be written to disk;
 * nothing a store throws or logs contains a stored value.
 *
 * Synchronous on purpose: both backends are small local files, and callers (settings views,
 * resolving a run's model) are synchronous.
 */
export interface SecretStore {
  /** The value stored under `name`, or null. Throws `io_error` when the store is unreadable. */
  get(name: string): string | null
  /** Store (or replace) a value. Throws `io_error` when the store cannot be written safely. */
  set(name: string, value: string): void
  /** Remove a value; removing one that is not there is not an error. */
  delete(name: string): void
  has(name: string): boolean
}

/** Names are identifiers like `provider:openrouter`, never values. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/

/** Largest value a store accepts, in characters (keys are far shorter). */
export const MAX_SECRET_CHARS = 16_384

export function assertSecretName(name: string): void {
  if (!NAME.test(name)) throw new Error(`Invalid secret name ${JSON.stringify(name)}.`)
}

export function assertSecretValue(value: string): void {
  // Never echo the value: only say what is wrong with it.
  if (typeof value !== 'string' || value.length === 0) throw new Error('A secret cannot be empty.')
  if (value.length > MAX_SECRET_CHARS) {
    throw new Error(`A secret is limited to ${MAX_SECRET_CHARS} characters.`)
  }
}
