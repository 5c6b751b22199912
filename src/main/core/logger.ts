import { appendFileSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void
}

/** Longest message or field value written, in characters; a 2 GB line never reaches the log. */
const MAX_FIELD_CHARS = 2000
const MAX_LOG_BYTES = 10 * 1024 * 1024

function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_FIELD_CHARS) {
    return `${value.slice(0, MAX_FIELD_CHARS)}… (${value.length} chars)`
  }
  return value
}

function line(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  const clipped: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields ?? {})) clipped[k] = clip(v)
  return `${JSON.stringify({ t: new Date().toISOString(), level, msg: clip(message), ...clipped })}\n`
}

/**
 * JSON-lines log at `<dataDir>/logs/<name>.log` (owner-only), rotated once at 10 MB. Logging must never take the
 * host down, so write failures (a full disk) are reported once on stderr and otherwise ignored.
 */
export function createFileLogger(dataDir: string, name: string, echo = false): Logger {
  const dir = join(dataDir, 'logs')
  const file = join(dir, `${name}.log`)
  let warned = false
  let checkedAt = 0
  return {
    log(level, message, fields) {
      const text = line(level, message, fields)
      if (echo && level !== 'debug') process.stderr.write(text)
      try {
        makePrivateDir(dir)
        if (Date.now() - checkedAt > 10_000) {
          checkedAt = Date.now()
          try {
            if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`)
          } catch {
            // No log yet.
          }
        }
        appendFileSync(file, text, { mode: PRIVATE_FILE_MODE })
      } catch (err) {
        if (!warned) {
          warned = true
          process.stderr.write(`paddock: cannot write log ${file}: ${String(err)}\n`)
        }
      }
    },
  }
}

/** A logger that keeps lines in memory; for tests and for hosts that only need the last few. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    log(level, message, fields) {
      lines.push(line(level, message, fields))
    },
  }
}
