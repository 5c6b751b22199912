import { z } from 'zod'
import { IdSchema } from './model'

/**
 * Terminals: the shapes the contract (`terminals.*`) and the events (`terminal.*`) share.
 * The protocol is described at the top of `contract/terminals.ts`.
 */

/** Most characters one `terminals.input` call may carry (paste larger text in parts). */
export const TERMINAL_INPUT_MAX_CHARS = 64 * 1024
/** Unacknowledged output (UTF-16 units) a host sends one client for one terminal before it stops. */
export const TERMINAL_CLIENT_WINDOW = 1_000_000
/** How often (UTF-16 units rendered) a client should acknowledge with `terminals.ack`. */
export const TERMINAL_ACK_EVERY = 100_000
/** Sizes a terminal is clamped to (asking for more or less is not an error). */
export const TERMINAL_COLS = { min: 2, max: 1000 } as const
export const TERMINAL_ROWS = { min: 1, max: 500 } as const

export const TerminalKindSchema = z.enum(['agent', 'user'])
export const TerminalStatusSchema = z.enum(['starting', 'running', 'exited', 'failed'])
/**
 * Who is running a command in the shell: nobody (at its prompt), the agent (a `bash` call, possibly
 * still running past its timeout), or the user (a command typed into the terminal).
 */
export const TerminalBusySchema = z.enum(['idle', 'agent', 'user'])

export const TerminalExitSchema = z.object({
  /** The shell's exit code; null when it was killed by a signal or never started. */
  code: z.number().int().nullable(),
  /** The signal that ended it (`SIGKILL`…), or null. */
  signal: z.string().nullable(),
  /** One line for a person: "exited with code 0", "could not start: /bin/zsh does not exist"… */
  reason: z.string(),
})
export type TerminalExit = z.infer<typeof TerminalExitSchema>

export const TerminalInfoSchema = z.object({
  terminalId: IdSchema,
  sessionId: IdSchema,
  kind: TerminalKindSchema,
  /** "Agent", "Terminal 2"… */
  title: z.string(),
  status: TerminalStatusSchema,
  /** Why the shell ended (`exited` / `failed`); null while it runs. */
  exit: TerminalExitSchema.nullable(),
  /** The shell's current folder as it last reported it (OSC 7); null before it has. */
  cwd: z.string().nullable(),
  /** The shell program, e.g. `/bin/bash`. */
  shell: z.string(),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  /** The screen begins with scrollback restored from before a host restart (marked in it). */
  restoredScrollback: z.boolean(),
  /** When that scrollback was saved (ms since the epoch); null when nothing was restored. */
  restoredAt: z.number().int().nonnegative().nullable(),
  busy: TerminalBusySchema,
  /**
   * The agent has a command to run but waits for the user's command to finish first (show
   * "waiting for your command"). Only ever true for the agent terminal while `busy` is `user`.
   */
  agentWaiting: z.boolean(),
})
export type TerminalInfo = z.infer<typeof TerminalInfoSchema>

/** A serialized xterm screen (scrollback included) and the stream offset it reflects. */
export const TerminalScreenSchema = z.object({
  /** Escape sequences that rebuild the screen when written into an empty xterm of `cols`×`rows`. */
  screen: z.string(),
  cols: z.number().int().positive(),
  rows: z.number().int().positive(),
  /** Cursor position in the viewport, 0-based. */
  cursor: z.object({ x: z.number().int().nonnegative(), y: z.number().int().nonnegative() }),
  /** Stream position the screen reflects: live data continues from here. */
  offset: z.number().int().nonnegative(),
})
export type TerminalScreen = z.infer<typeof TerminalScreenSchema>
