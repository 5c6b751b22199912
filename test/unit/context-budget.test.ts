import { describe, expect, it } from 'vitest'
import { MAX_RESERVE, contextBudget } from '../../src/main/context/budget'

/**
 * The output reserve and the threshold scale with the window, from an 8k local model to a 2M one,
 * for a model that can write little (4k, the default for an unknown one) or a lot (128k).
 */
const WINDOWS = [8_192, 16_384, 32_768, 131_072, 1_048_576, 2_097_152]
const OUTPUTS = [4_096, 128_000]

describe('contextBudget', () => {
  it.each(WINDOWS.flatMap((w) => OUTPUTS.map((m) => [w, m])))(
    'window %i, max output %i: a sane share',
    (window, maxOutput) => {
      const b = contextBudget(window, maxOutput)
      // The parts add up to the window.
      expect(b.thresholdTokens + b.reserveTokens + b.marginTokens).toBe(window)
      // The reply's room stays well under half the window, never above what the model can write,
      // and never above OpenCode's 20k.
      expect(b.reserveTokens).toBeLessThan(window / 2)
      expect(b.reserveTokens).toBeLessThanOrEqual(Math.min(maxOutput, MAX_RESERVE))
      expect(b.reserveTokens).toBeGreaterThanOrEqual(Math.min(maxOutput, 2_048))
      // The conversation keeps most of the window: room for several steps between reductions.
      expect(b.thresholdTokens).toBeGreaterThanOrEqual(window / 2)
      expect(b.thresholdTokens).toBeGreaterThanOrEqual(2 * b.reserveTokens)
      expect(b.marginTokens).toBeGreaterThan(0)
    },
  )

  it('is what the documented formula gives at each size', () => {
    const rows = WINDOWS.map((w) => {
      const b = contextBudget(w, 65_536)
      return [w, b.reserveTokens, b.marginTokens, b.thresholdTokens]
    })
    expect(rows).toEqual([
      [8_192, 2_048, 409, 5_735],
      [16_384, 2_048, 819, 13_517],
      [32_768, 4_096, 1_638, 27_034],
      [131_072, 16_384, 6_553, 108_135],
      [1_048_576, 20_000, 32_000, 996_576],
      [2_097_152, 20_000, 32_000, 2_045_152],
    ])
  })

  it('an 8k or 16k model is not reduced on every step, as a flat 16k reserve would force', () => {
    for (const window of [8_192, 16_384]) {
      // A flat 16,384 reserve leaves nothing (8k) or nothing (16k) for the conversation.
      expect(window - 16_384).toBeLessThanOrEqual(0)
      expect(contextBudget(window, 4_096).thresholdTokens).toBeGreaterThan(window * 0.6)
    }
  })

  it('is monotonic in the window', () => {
    for (const maxOutput of OUTPUTS) {
      let last = contextBudget(1_024, maxOutput)
      for (let window = 1_025; window <= 2_200_000; window = Math.ceil(window * 1.07)) {
        const b = contextBudget(window, maxOutput)
        expect(b.thresholdTokens).toBeGreaterThanOrEqual(last.thresholdTokens)
        expect(b.reserveTokens).toBeGreaterThanOrEqual(last.reserveTokens)
        last = b
      }
    }
  })

  it('refuses a window that is not a positive integer', () => {
    expect(() => contextBudget(0, 4_096)).toThrow(RangeError)
    expect(() => contextBudget(1.5, 4_096)).toThrow(RangeError)
  })
})
