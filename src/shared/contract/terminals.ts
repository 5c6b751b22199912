import { z } from 'zod'
import { IdSchema } from '../model'
import { TERMINAL_INPUT_MAX_CHARS, TerminalInfoSchema, TerminalScreenSchema } from '../terminals'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Terminals: PTY shells the user and the agent share, owned by the engine host.
//
// Every session has one **agent** terminal (its agent shell: the `bash` tool types its commands
// there) and any number of **user** terminals. Shells live in the host, not in a window: closing or
// reloading a window keeps them running. The session's agent shell is started on first use
// (`terminals.list`, `terminals.attach`, or the agent's first `bash` call).
//
// Live output reaches a client only for the terminals it attached, as ephemeral `terminal.data`
// events on its event subscription (same connection as its calls: attach again after a reconnect).
// Stream positions (`offset`) count UTF-16 code units of the decoded output (JavaScript string
// length) since the terminal started; chunks never split a character.
//
// Client protocol:
//   1. `terminals.attach` → a serialized screen at `offset` (write it into a fresh xterm).
//   2. Apply `terminal.data` whose `offset` equals the expected one, then expect
//      `offset + data.length`. Drop a chunk that ends at or before the expected offset (a
//      duplicate; one that starts before and ends after: apply its tail). A chunk that starts after
//      the expected offset is a gap: attach again.
//   3. Acknowledge what the terminal has rendered with `terminals.ack` (at least every
//      TERMINAL_ACK_EVERY units). The host keeps at most TERMINAL_CLIENT_WINDOW unacknowledged units
//      in flight per client and terminal; a client that falls further behind gets nothing more
//      until it has acknowledged everything sent, then one `terminal.reset` (a fresh screen and its
//      offset) instead of the backlog.
//   `src/shared/terminal-stream.ts` implements this for clients.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

const TerminalSize = {
  cols: z.number().int().min(1).max(100_000),
  rows: z.number().int().min(1).max(100_000),
}

export const terminalsMethods = {
  /** The session's terminals, agent terminal first (starting its shell when it is not running). */
  'terminals.list': {
    input: z.object({ sessionId: IdSchema }).strict(),
    output: z.array(TerminalInfoSchema),
  },
  /** A new user terminal in the session's workspace. */
  'terminals.create': {
    input: z
      .object({
        sessionId: IdSchema,
        cols: TerminalSize.cols.optional(),
        rows: TerminalSize.rows.optional(),
      })
      .strict(),
    output: TerminalInfoSchema,
  },
  /** The current screen, then live `terminal.data` for this terminal to this client. */
  'terminals.attach': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: TerminalScreenSchema.extend({ terminal: TerminalInfoSchema }),
  },
  /** Stop the live stream of this terminal to this client. */
  'terminals.detach': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** The client has rendered the stream up to `offset` (flow control). */
  'terminals.ack': {
    input: z.object({ terminalId: IdSchema, offset: z.number().int().nonnegative() }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** Keystrokes or pasted text for the shell (as xterm's onData gives them). */
  'terminals.input': {
    input: z
      .object({ terminalId: IdSchema, data: z.string().min(1).max(TERMINAL_INPUT_MAX_CHARS) })
      .strict(),
    output: z.object({ terminalId: IdSchema }),
  },
  /** Resize the PTY (clamped to TERMINAL_COLS/TERMINAL_ROWS; bursts are coalesced). */
  'terminals.resize': {
    input: z.object({ terminalId: IdSchema, ...TerminalSize }).strict(),
    output: z.object({
      terminalId: IdSchema,
      cols: z.number().int().positive(),
      rows: z.number().int().positive(),
    }),
  },
  /** Start a fresh shell in the terminal (after it exited, or to replace a stuck one). */
  'terminals.restart': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: TerminalInfoSchema,
  },
  /** Kill a user terminal's shell and everything it started, and remove the terminal. */
  'terminals.close': {
    input: z.object({ terminalId: IdSchema }).strict(),
    output: z.object({ terminalId: IdSchema }),
  },
} as const
