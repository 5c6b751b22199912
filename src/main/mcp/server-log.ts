import type { Logger } from '../core/logger'
import type { RateLimitedLog } from '../core/log-limit'
import { rateLimitedLog } from '../core/log-limit'

/** Lines of a server's stderr kept for the Settings view. */
export const LOG_TAIL_LINES = 200
/** Longest stderr line kept or logged, in characters; the rest is cut. */
export const LOG_LINE_MAX_CHARS = 1000

/**
 * A server's stderr: split into lines, each cut to {@link LOG_LINE_MAX_CHARS}, the newest
 * {@link LOG_TAIL_LINES} kept, and written to Paddock's log at most ten lines a second (the rest
 * counted). It never reaches the model. A flood costs bounded memory and log space.
 */
export class ServerLog {
  private readonly lines: string[] = []
  private partial = ''
  private readonly log: RateLimitedLog

  constructor(
    private readonly server: string,
    logger: Logger,
  ) {
    this.log = rateLimitedLog(logger, { summary: `mcp server ${server}: stderr lines not logged` })
  }

  /** A chunk of the server's stderr. */
  write(chunk: string): void {
    const text = this.partial + chunk
    const parts = text.split(/\r?\n/)
    this.partial = parts.pop() ?? ''
    if (this.partial.length > LOG_LINE_MAX_CHARS) {
      parts.push(this.partial)
      this.partial = ''
    }
    for (const line of parts) this.add(line)
  }

  /** A line of Paddock's own about the server (start, exit), kept with its output. */
  note(line: string): void {
    this.add(`[paddock] ${line}`)
  }

  tail(): string[] {
    return [...this.lines]
  }

  /** The last line the server wrote, to say why it stopped. */
  lastLine(): string | undefined {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const line = this.lines[i]!
      if (!line.startsWith('[paddock]') && line.trim() !== '') return line
    }
    return undefined
  }

  private add(raw: string): void {
    const line =
      raw.length > LOG_LINE_MAX_CHARS ? `${raw.slice(0, LOG_LINE_MAX_CHARS)} … (cut)` : raw
    this.lines.push(line)
    if (this.lines.length > LOG_TAIL_LINES) this.lines.splice(0, this.lines.length - LOG_TAIL_LINES)
    this.log.log('info', `mcp server ${this.server}`, { line })
  }
}
