import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_FILE_MODE, makePrivateDir } from './private-files'
import { redactSecrets } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void
}

/** Longest message or field value written, in characters; a 2 GB line never reaches the log. */
const MAX_FIELD_CHARS = 2000

export interface LogRotation {
  /** A file is rotated once it would grow past this many bytes. */
  maxBytes: number
  /** Rotated files kept beside the current one (`<name>.log.1` is the newest). */
  keep: number
}

/** At most 5 MB × (1 + 4) per log name. */
export const LOG_ROTATION: LogRotation = { maxBytes: 5 * 1024 * 1024, keep: 4 }

/** The folder of the log files, in the data folder. */
export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs')
}

function clip(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_FIELD_CHARS) {
    return `${value.slice(0, MAX_FIELD_CHARS)}… (${value.length} chars)`
  }
  return value
}

/** One JSON line, with secrets redacted (by learned value and by pattern, see `redact.ts`). */
function line(level: LogLevel, message: string, fields?: Record<string, unknown>): string {
  // Redacted before they are cut: a key cut in two would no longer match its value.
  const clipped: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields ?? {})) {
    clipped[k] = clip(typeof v === 'string' ? redactSecrets(v) : v)
  }
  const json = JSON.stringify({
    t: new Date().toISOString(),
    level,
    msg: clip(redactSecrets(message)),
    ...clipped,
  })
  return `${redactSecrets(json)}\n`
}

/** `<file>.1` … `<file>.<keep>` shift up by one (the oldest is dropped), `<file>` becomes `.1`. */
function rotate(file: string, keep: number): void {
  rmSync(`${file}.${keep}`, { force: true })
  for (let i = keep - 1; i >= 1; i--) {
    try {
      renameSync(`${file}.${i}`, `${file}.${i + 1}`)
    } catch {
      // That one does not exist yet.
    }
  }
  if (keep >= 1) renameSync(file, `${file}.1`)
  else rmSync(file, { force: true })
}

/**
 * JSON-lines log at `<dataDir>/logs/<name>.log` (owner-only), rotated by size: when a line would
 * take it past `rotation.maxBytes` it becomes `<name>.log.1` and at most `rotation.keep` old files
 * are kept. Secrets are redacted from every line. Logging must never take the host down, so write
 * failures (a full disk) are reported once on stderr and otherwise ignored.
 */
export function createFileLogger(
  dataDir: string,
  name: string,
  echo = false,
  rotation: LogRotation = LOG_ROTATION,
): Logger {
  const dir = logsDir(dataDir)
  const file = join(dir, `${name}.log`)
  let warned = false
  // Bytes in the current file, as far as this process knows (read once; other processes writing
  // the same log are noticed at the next rotation check).
  let size: number | null = null
  return {
    log(level, message, fields) {
      const text = line(level, message, fields)
      if (echo && level !== 'debug') process.stderr.write(text)
      try {
        makePrivateDir(dir)
        const bytes = Buffer.byteLength(text)
        if (size === null) size = fileSize(file)
        if (size > 0 && size + bytes > rotation.maxBytes) {
          // Another process may have rotated it already: look again before moving files.
          size = fileSize(file)
          if (size > 0 && size + bytes > rotation.maxBytes) {
            rotate(file, rotation.keep)
            size = 0
          }
        }
        appendFileSync(file, text, { mode: PRIVATE_FILE_MODE })
        size += bytes
      } catch (err) {
        if (!warned) {
          warned = true
          process.stderr.write(`paddock: cannot write log ${file}: ${String(err)}\n`)
        }
      }
    },
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
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
