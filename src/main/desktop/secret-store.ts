import { safeStorage } from 'electron'
import { join } from 'node:path'
import { ContractError } from '../../shared/errors'
import type { Logger } from '../core/logger'
import { learnSecret } from '../core/redact'
import { FileSecretStore, SECRETS_FILE } from '../secrets/file-secret-store'
import { SecretFile } from '../secrets/secret-file'
import type { SecretStore } from '../secrets/secret-store'
import { assertSecretName, assertSecretValue } from '../secrets/secret-store'

export const SAFE_SECRETS_FILE = 'secrets.safe.json'

/** The part of Electron's `safeStorage` this store uses (tests pass a double). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only: `basic_text` means no keyring, so "encrypted" is only obfuscated. */
  getSelectedStorageBackend?(): string
}

/**
 * Keys encrypted with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through Electron's
 * safeStorage, as base64 blobs in `<dataDir>/secrets.safe.json` (0600, written atomically).
 */
export class SafeStorageSecretStore implements SecretStore {
  private readonly file: SecretFile

  constructor(
    dataDir: string,
    private readonly safe: SafeStorageLike,
    logger?: Logger,
  ) {
    this.file = new SecretFile(join(dataDir, SAFE_SECRETS_FILE), logger)
    // Every stored key is a value to redact from the start, as the file store does, not only once
    // something reads it.
    for (const name of Object.keys(this.file.read())) {
      try {
        this.get(name)
      } catch {
        // Undecryptable: said when it is used.
      }
    }
  }

  get(name: string): string | null {
    assertSecretName(name)
    const map = this.file.read()
    if (!Object.hasOwn(map, name)) return null
    try {
      const value = this.safe.decryptString(Buffer.from(map[name]!, 'base64'))
      learnSecret(value)
      return value
    } catch {
      throw new ContractError(
        'io_error',
        `The stored key "${name}" cannot be decrypted (the keychain changed, or ${this.file.path} ` +
          'came from another account). Enter the key again.',
      )
    }
  }

  has(name: string): boolean {
    assertSecretName(name)
    return Object.hasOwn(this.file.read(), name)
  }

  set(name: string, value: string): void {
    assertSecretName(name)
    assertSecretValue(value)
    learnSecret(value)
    const blob = this.safe.encryptString(value).toString('base64')
    this.file.update((map) => ({ ...map, [name]: blob }))
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

/**
 * The desktop app's store: safeStorage when the OS can encrypt, else `secrets.json` (0600) as
 * in the web host, with a warning in the log saying so.
 */
export function createDesktopSecretStore(
  dataDir: string,
  logger: Logger,
  safe: SafeStorageLike = safeStorage,
): SecretStore {
  if (!safe.isEncryptionAvailable()) {
    logger.log(
      'warn',
      'OS encryption (safeStorage) is unavailable; keys are kept in secrets.json',
      {
        file: join(dataDir, SECRETS_FILE),
        mode: '0600',
      },
    )
    return new FileSecretStore(dataDir, logger)
  }
  if (safe.getSelectedStorageBackend?.() === 'basic_text') {
    logger.log('warn', 'no OS keyring found; safeStorage only obfuscates keys on this system', {
      file: join(dataDir, SAFE_SECRETS_FILE),
    })
  }
  return new SafeStorageSecretStore(dataDir, safe, logger)
}
