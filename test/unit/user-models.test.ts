import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadCatalog } from '../../src/main/providers/user-models'
import { tempDir } from '../support/temp'

const dirs: Array<() => void> = []
afterEach(() => dirs.splice(0).forEach((c) => c()))
function dir(): string {
  const t = tempDir()
  dirs.push(t.cleanup)
  return t.path
}

describe('user models (models.json in the data dir)', () => {
  it('adds models and overrides bundled ones', () => {
    const d = dir()
    writeFileSync(
      join(d, 'models.json'),
      JSON.stringify({
        models: [
          {
            id: 'my-coder',
            contextWindow: 65_536,
            maxOutput: 8192,
            providers: { ollama: 'my-coder:7b' },
          },
          { id: 'kimi-k2', pricing: { input: 9, output: 9, asOf: '2026-11-01' } },
        ],
      }),
    )
    const catalog = loadCatalog(d)
    expect(catalog.resolve('my-coder').contextWindow).toBe(65_536)
    expect(catalog.providerModelName('my-coder', 'ollama')).toBe('my-coder:7b')
    expect(catalog.get('kimi-k2')!.pricing!.input).toBe(9)
  })

  it('without a file, is the bundled catalog', () => {
    expect(loadCatalog(dir()).get('kimi-k2')).toBeDefined()
  })

  it('refuses a malformed file with a message naming it and the field', () => {
    const d = dir()
    writeFileSync(join(d, 'models.json'), '{"models": [{"id": "x", "contextWindow": "big"}]}')
    expect(() => loadCatalog(d)).toThrow(/models\.json is invalid: models\.0\.contextWindow/)
    writeFileSync(join(d, 'models.json'), '{not json')
    expect(() => loadCatalog(d)).toThrow(/models\.json is not valid JSON/)
  })
})
