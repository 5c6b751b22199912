import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileLogger, createMemoryLogger } from '../../src/main/core/logger'
import { REDACTED, learnSecret, redactSecrets, redactValuesIn } from '../../src/main/core/redact'
import { FileSecretStore } from '../../src/main/secrets/file-secret-store'
import { tempDir } from '../support/temp'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('log redaction by pattern', () => {
  const cases: Array<[string, string]> = [
    ['openai key sk-proj-AbCdEf0123456789xyzXYZ', 'sk-proj-AbCdEf0123456789xyzXYZ'],
    ['anthropic sk-ant-api03-AAAABBBBCCCCDDDD-x_y', 'sk-ant-api03-AAAABBBBCCCCDDDD-x_y'],
    ['Authorization: Bearer abc.DEF-123_456~789', 'abc.DEF-123_456~789'],
    ['gh token ghp_0123456789abcdefghijABCDEFGHIJ', 'ghp_0123456789abcdefghijABCDEFGHIJ'],
    ['slack xoxb-1234567890-abcdefghij', 'xoxb-1234567890-abcdefghij'],
    ['aws AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
    ['url ?token=0a1b2c3d4e5f60718293a4b5c6d7e8f9 end', '0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
    ['apiKey: "c2VjcmV0LXZhbHVlLWluLWJhc2U2NA=="', 'c2VjcmV0LXZhbHVlLWluLWJhc2U2NA=='],
    ['{"token":"ffeeddccbbaa99887766554433221100"}', 'ffeeddccbbaa99887766554433221100'],
  ]
  for (const [text, secret] of cases) {
    it(`removes ${secret.slice(0, 10)}…`, () => {
      const out = redactSecrets(text)
      expect(out).not.toContain(secret)
      expect(out).toContain(REDACTED)
    })
  }

  it('keeps ordinary words, short values and counts', () => {
    const text =
      '{"msg":"run ended","tokens":1234,"key":"short","sessionId":"01J9ZX","skip":"sk-1"}'
    expect(redactSecrets(text)).toBe(text)
  })

  it('keeps a JSON line valid', () => {
    const out = redactSecrets(
      JSON.stringify({
        msg: 'Bearer abcdefghijklmnop',
        headers: { 'x-api-key': 'sk-ant-0123456789' },
      }),
    )
    expect(() => JSON.parse(out) as unknown).not.toThrow()
  })
})

describe('redaction by value: the SecretStore’s keys', () => {
  it('redacts every stored key from log lines, also ones shaped like nothing known', () => {
    const dataDir = join(tmp.path, 'store')
    new FileSecretStore(dataDir).set('provider:odd', 'plain"words-with-quote 42')
    // A second store on the same folder (another process would be) learns it when it opens.
    const store = new FileSecretStore(dataDir)
    store.set('provider:work', 'zzNOTAPATTERNzz-77')
    const logger = createMemoryLogger()
    logger.log('info', 'echo zzNOTAPATTERNzz-77 please', { arg: 'plain"words-with-quote 42' })
    const text = logger.lines.join('')
    expect(text).not.toContain('zzNOTAPATTERNzz-77')
    expect(text).not.toContain(JSON.stringify('plain"words-with-quote 42').slice(1, -1))
    expect(JSON.parse(text)).toMatchObject({ msg: `echo ${REDACTED} please`, arg: REDACTED })
  })

  it('redacts learned values inside nested event payloads, leaving others untouched', () => {
    learnSecret('value-learned-123')
    const event = { type: 'x', entry: { payload: { text: 'a value-learned-123 b', n: 1 } } }
    expect(redactValuesIn(event)).toEqual({
      type: 'x',
      entry: { payload: { text: `a ${REDACTED} b`, n: 1 } },
    })
    const clean = { type: 'y', n: 2 }
    expect(redactValuesIn(clean)).toBe(clean)
  })

  it('learns no value shorter than 8 characters', () => {
    learnSecret('abc')
    expect(redactSecrets('abc abc')).toBe('abc abc')
  })
})

describe('a long field', () => {
  it('is redacted before it is cut, so a key across the cut leaves no part of it', () => {
    const key = 'learned-long-key-0123456789abcdef'
    learnSecret(key)
    const dataDir = join(tmp.path, 'cut')
    const logger = createFileLogger(dataDir, 'host', false)
    // The key starts 10 characters before the 2,000-character cut.
    logger.log('info', 'long', { output: `${'y'.repeat(1990)}${key} and more` })
    const text = readFileSync(join(dataDir, 'logs', 'host.log'), 'utf8')
    expect(text).not.toContain(key.slice(0, 10))
    expect(text).toContain(REDACTED)
  })
})

describe('the rotating log file', () => {
  it('rotates by size and keeps only the configured number of old files', () => {
    const dataDir = join(tmp.path, 'rot')
    const logger = createFileLogger(dataDir, 'host', false, { maxBytes: 1000, keep: 2 })
    for (let i = 0; i < 100; i++) logger.log('info', `line ${i} ${'x'.repeat(50)}`)
    const dir = join(dataDir, 'logs')
    expect(readdirSync(dir).sort()).toEqual(['host.log', 'host.log.1', 'host.log.2'])
    let all = ''
    for (const name of ['host.log.2', 'host.log.1', 'host.log']) {
      const text = readFileSync(join(dir, name), 'utf8')
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000)
      all += text
    }
    // The newest lines are in host.log, in order, none lost inside the kept window.
    const numbers = all
      .trim()
      .split('\n')
      .map((l) => Number(/line (\d+)/.exec((JSON.parse(l) as { msg: string }).msg)![1]))
    expect(numbers.at(-1)).toBe(99)
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i))
    expect(numbers[0]).toBeGreaterThan(0)
  })
})
