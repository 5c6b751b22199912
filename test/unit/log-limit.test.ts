import { describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { rateLimitedLog } from '../../src/main/core/log-limit'

function parsed(lines: string[]): Array<{ msg: string; count?: number; n?: number }> {
  return lines.map((l) => JSON.parse(l) as { msg: string; count?: number; n?: number })
}

describe('rateLimitedLog', () => {
  it('writes at most 10 lines a second and one line with the count of the rest', () => {
    const logger = createMemoryLogger()
    let now = 5_000
    const log = rateLimitedLog(logger, { summary: 'rest not logged', now: () => now })
    for (let n = 0; n < 25; n++) log.log('warn', 'rejected', { n })
    expect(parsed(logger.lines).map((l) => l.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    now = 6_100
    log.log('warn', 'rejected', { n: 25 })
    expect(parsed(logger.lines).slice(10)).toMatchObject([
      { msg: 'rest not logged', count: 15 },
      { msg: 'rejected', n: 25 },
    ])
    log.flush()
    expect(logger.lines).toHaveLength(12)
  })

  it('counts the rest on flush, once', () => {
    const logger = createMemoryLogger()
    const log = rateLimitedLog(logger, { summary: 'rest not logged', now: () => 0 })
    for (let n = 0; n < 12; n++) log.log('warn', 'rejected')
    log.flush()
    log.flush()
    expect(parsed(logger.lines).slice(10)).toMatchObject([{ msg: 'rest not logged', count: 2 }])
    expect(logger.lines).toHaveLength(11)
  })
})
