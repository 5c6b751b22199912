import { describe, expect, it } from 'vitest'
import { isSecretFileName } from '../../src/main/core/secret-files'

describe('isSecretFileName', () => {
  it('knows the files that hold secrets', () => {
    for (const name of [
      '.env',
      '.env.local',
      '.env.production',
      'server.pem',
      'tls.key',
      'cert.p12',
      'id_rsa',
      'id_rsa.pub',
      'id_ed25519',
      'id_ecdsa_work',
      'id_dsa',
      '.npmrc',
      '.pypirc',
      '.netrc',
      '.pgpass',
      'credentials',
      'credentials.json',
      'secrets.yaml',
      'secret.json',
      '.git-credentials',
      '.envrc',
      'terraform.tfstate',
      'prod.tfstate.backup',
    ]) {
      expect(isSecretFileName(name), name).toBe(true)
    }
  })

  it('leaves ordinary source alone', () => {
    for (const name of [
      'id_utils.py',
      'credentials.ts',
      'keys.js',
      'env.ts',
      'environment.md',
      'README.md',
      'key.ts',
      'secrets.ts',
      'monkey.txt',
      'tfstate.ts',
      'envrc.md',
      'config.json',
    ]) {
      expect(isSecretFileName(name), name).toBe(false)
    }
  })
})
