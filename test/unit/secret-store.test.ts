import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { FileSecretStore } from '../../src/main/secrets/file-secret-store'
import { tempDir } from '../support/temp'

// The desktop store imports Electron's safeStorage, which cannot load outside Electron: the one
// place a double is right (docs/CONVENTIONS.md, "Tests"). Each test passes its own double anyway.
vi.mock('electron', () => ({ safeStorage: {} }))
const { SafeStorageSecretStore, createDesktopSecretStore } =
  await import('../../src/main/desktop/secret-store')

const KEY = 'sk-unit-0123456789abcdef-KEYVALUE'
const posix = process.platform !== 'win32'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

const modeOf = (file: string): number => statSync(file).mode & 0o777

describe('FileSecretStore', () => {
  it('keeps keys in secrets.json, created owner-only (0600), and nowhere else', () => {
    const store = new FileSecretStore(tmp.path)
    expect(store.get('provider:a')).toBeNull()
    expect(store.has('provider:a')).toBe(false)
    store.set('provider:a', KEY)
    store.set('provider:b', 'other-key')
    expect(store.get('provider:a')).toBe(KEY)
    expect(store.has('provider:b')).toBe(true)
    const file = join(tmp.path, 'secrets.json')
    if (posix) expect(modeOf(file)).toBe(0o600)
    // Atomic replacement leaves no temp file behind.
    expect(readdirSync(tmp.path)).toEqual(['secrets.json'])
    store.delete('provider:a')
    store.delete('provider:never-there')
    expect(store.get('provider:a')).toBeNull()
    expect(store.get('provider:b')).toBe('other-key')
    expect(readFileSync(file, 'utf8')).not.toContain(KEY)
  })

  it('sees a key another process saved (it reads the file at every access)', () => {
    const a = new FileSecretStore(tmp.path)
    const b = new FileSecretStore(tmp.path)
    a.set('provider:x', KEY)
    expect(b.get('provider:x')).toBe(KEY)
  })

  it.skipIf(!posix)(
    'tightens a file found readable by others, with a warning that has no key',
    () => {
      const logger = createMemoryLogger()
      const store = new FileSecretStore(tmp.path, logger)
      store.set('provider:a', KEY)
      const file = join(tmp.path, 'secrets.json')
      chmodSync(file, 0o644)
      expect(store.get('provider:a')).toBe(KEY)
      expect(modeOf(file)).toBe(0o600)
      const warning = logger.lines.find((l) => l.includes('owner-only'))
      expect(warning).toBeDefined()
      expect(warning).toContain('"mode":"644"')
      expect(logger.lines.join('')).not.toContain(KEY)
    },
  )

  it('refuses a corrupt file with a clear error and never overwrites it', () => {
    const file = join(tmp.path, 'secrets.json')
    // A half-written file that still holds a key: its text must not reach the error either.
    const corrupt = `{"version": 1, "secrets": {"provider:a": "${KEY}"`
    writeFileSync(file, corrupt, { mode: 0o600 })
    const store = new FileSecretStore(tmp.path)
    const error = (fn: () => unknown): Error => {
      try {
        fn()
      } catch (err) {
        return err as Error
      }
      throw new Error('expected an error')
    }
    for (const fn of [
      () => store.get('provider:a'),
      () => store.set('provider:b', 'new-key-value'),
      () => store.delete('provider:a'),
    ]) {
      const err = error(fn)
      expect(err.message).toContain(`${file} is corrupt (it is not valid JSON)`)
      expect(err.message).toContain('will not overwrite it')
      expect(err.message).not.toContain(KEY)
      expect((err as { code?: string }).code).toBe('io_error')
    }
    expect(readFileSync(file, 'utf8')).toBe(corrupt)

    writeFileSync(file, JSON.stringify({ version: 2, keys: [] }))
    expect(() => store.set('provider:b', 'new-key-value')).toThrow(/is corrupt \(it is not a/)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 2, keys: [] })
  })

  it('rejects empty values and odd names without echoing the value', () => {
    const store = new FileSecretStore(tmp.path)
    expect(() => store.set('provider:a', '')).toThrow('A secret cannot be empty.')
    expect(() => store.set('../escape', KEY)).toThrow(/Invalid secret name/)
    expect(() => store.set('provider:a', 'x'.repeat(20_000))).toThrow(/limited to/)
  })
})

/** A stand-in for safeStorage: reversible, and visibly not the plain text. */
function fakeSafeStorage(available = true, backend?: string) {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(`enc:${[...s].reverse().join('')}`, 'utf8'),
    decryptString: (b: Buffer) => {
      const text = b.toString('utf8')
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext')
      return [...text.slice(4)].reverse().join('')
    },
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
  }
}

describe('desktop SecretStore (safeStorage)', () => {
  it('stores encrypted base64 blobs in secrets.safe.json (0600), never the key', () => {
    const logger = createMemoryLogger()
    const store = createDesktopSecretStore(tmp.path, logger, fakeSafeStorage())
    expect(store).toBeInstanceOf(SafeStorageSecretStore)
    store.set('provider:a', KEY)
    expect(store.get('provider:a')).toBe(KEY)
    expect(store.has('provider:a')).toBe(true)
    const file = join(tmp.path, 'secrets.safe.json')
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(KEY)
    const blob = (JSON.parse(text) as { secrets: Record<string, string> }).secrets['provider:a']!
    expect(Buffer.from(blob, 'base64').toString('utf8').startsWith('enc:')).toBe(true)
    if (posix) expect(modeOf(file)).toBe(0o600)
    store.delete('provider:a')
    expect(store.get('provider:a')).toBeNull()
    expect(logger.lines).toEqual([])
  })

  it('knows every stored key as a value to redact from the start, before any read', async () => {
    // Stored by an earlier process: written here as safeStorage would, never seen by this one.
    const stored = 'desktop-stored-before-0123456789'
    const blob = fakeSafeStorage().encryptString(stored).toString('base64')
    writeFileSync(
      join(tmp.path, 'secrets.safe.json'),
      JSON.stringify({ version: 1, secrets: { 'mcp-header:gh:authorization': blob } }),
    )
    const { REDACTED, redactSecrets } = await import('../../src/main/core/redact')
    expect(redactSecrets(`header ${stored}`)).toBe(`header ${stored}`)
    new SafeStorageSecretStore(tmp.path, fakeSafeStorage())
    expect(redactSecrets(`header ${stored}`)).toBe(`header ${REDACTED}`)
  })

  it('says which key cannot be decrypted, without the blob', () => {
    const store = new SafeStorageSecretStore(tmp.path, fakeSafeStorage())
    writeFileSync(
      join(tmp.path, 'secrets.safe.json'),
      JSON.stringify({
        version: 1,
        secrets: { 'provider:a': Buffer.from('junk').toString('base64') },
      }),
    )
    expect(() => store.get('provider:a')).toThrow(
      /The stored key "provider:a" cannot be decrypted .* Enter the key again\./,
    )
  })

  it('falls back to secrets.json with a warning when the OS cannot encrypt', () => {
    const logger = createMemoryLogger()
    const store = createDesktopSecretStore(tmp.path, logger, fakeSafeStorage(false))
    expect(store).toBeInstanceOf(FileSecretStore)
    store.set('provider:a', KEY)
    expect(readFileSync(join(tmp.path, 'secrets.json'), 'utf8')).toContain(KEY)
    expect(logger.lines.join('')).toMatch(/safeStorage\) is unavailable/)
    expect(logger.lines.join('')).not.toContain(KEY)
  })

  it('warns when Linux has no keyring (basic_text only obfuscates)', () => {
    const logger = createMemoryLogger()
    createDesktopSecretStore(tmp.path, logger, fakeSafeStorage(true, 'basic_text'))
    expect(logger.lines.join('')).toMatch(/no OS keyring/)
  })
})
