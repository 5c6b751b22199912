import type { LogLevel, Logger } from './logger'

export interface RateLimitedLog {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void
  /** Write the count of the lines held back so far, if any. */
  flush(): void
}

/** Lines written per second of the clock, at most; the rest are counted. */
const LINES_PER_SECOND = 10

/**
 * A log that writes at most 10 lines in each second of the clock and counts the rest: a flood of
 * refused requests cannot fill the disk or drown the lines around it. The count goes out as one
 * `summary` line with `count` when the second is over (on a timer that never keeps the process
 * alive) or at the next line, whichever comes first.
 */
export function rateLimitedLog(
  logger: Logger,
  options: { summary: string; now?: () => number },
): RateLimitedLog {
  const now = options.now ?? Date.now
  let second = Number.NEGATIVE_INFINITY
  let written = 0
  let held = 0
  let heldSince = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const flush = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (held === 0) return
    logger.log('warn', options.summary, { count: held, since: new Date(heldSince).toISOString() })
    held = 0
  }

  return {
    flush,
    log(level, message, fields) {
      const t = now()
      const s = Math.floor(t / 1000)
      if (s !== second) {
        flush()
        second = s
        written = 0
      }
      if (written < LINES_PER_SECOND) {
        written++
        logger.log(level, message, fields)
        return
      }
      if (held === 0) heldSince = t
      held++
      if (!timer) {
        timer = setTimeout(flush, (s + 1) * 1000 - t)
        timer.unref()
      }
    },
  }
}
