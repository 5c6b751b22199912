import { join } from 'node:path'
import type { Logger } from '../core/logger'
import { learnSecret } from '../core/redact'
import { SecretFile } from './secret-file'
import type { SecretStore } from './secret-store'
import { assertSecretName, assertSecretValue } from './secret-store'

export const SECRETS_FILE = 'secrets.json'

/**
 * Keys in `<dataDir>/secrets.json`, readable by the owner only (0600): the web host's and the CLI's
 * store, and the desktop app's when safeStorage is unavailable. Read at every access, so a key
 * saved by another process (the CLI while the web host runs) is seen at once.
 */
export class FileSecretStore implements SecretStore {
  private readonly file: SecretFile

  constructor(dataDir: string, logger?: Logger) {
    this.file = new SecretFile(join(dataDir, SECRETS_FILE), logger)
    // Every stored key is redacted from logs, entries and events from the start.
    try {
      for (const value of Object.values(this.file.read())) learnSecret(value)
    } catch {
      // Unreadable: every access says so; nothing was learned, nothing is lost.
    }
  }

  get path(): string {
    return this.file.path
  }

  get(name: string): string | null {
    assertSecretName(name)
    const map = this.file.read()
    const value = Object.hasOwn(map, name) ? map[name]! : null
    learnSecret(value)
    return value
  }

  has(name: string): boolean {
    return this.get(name) !== null
  }

  set(name: string, value: string): void {
    assertSecretName(name)
    assertSecretValue(value)
    learnSecret(value)
    this.file.update((map) => (map[name] === value ? null : { ...map, [name]: value }))
  }

  delete(name: string): void {
    assertSecretName(name)
    this.file.update((map) => {
      if (!Object.hasOwn(map, name)) return null
      const next = { ...map }
      delete next[name]
      return next
    })
  }
}
