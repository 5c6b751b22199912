import { z } from 'zod'
import { EntrySchema, IdSchema, SessionSchema, TimestampSchema, WorkspaceSchema } from './model'
import { TerminalInfoSchema, TerminalScreenSchema } from './terminals'
import { RadarStateSchema, SetupStateSchema } from './contract/worktrees'

/**
 * Every event belongs to one stream, named by `sessionId`, and carries that stream's `seq`: 1, 2, 3…
 * with no gaps, persisted, so it survives host restarts. A session's own events use its id; events
 * about workspaces (which belong to no session) use the reserved stream {@link HOST_STREAM}.
 * A client keeps the last `seq` it applied per stream and resubscribes from there.
 */
export const HOST_STREAM = 'host'

export const TurnStateSchema = z.enum([
  /** Waiting for the model's first token. */
  'requesting',
  'streaming',
  'tool',
  'retrying',
  /** A tool call waits for the user's approval. */
  'approval',
  /** The conversation is being summarised to fit the model's window. */
  'compacting',
  'idle',
])
export type TurnState = z.infer<typeof TurnStateSchema>

const base = {
  sessionId: z.string().min(1).max(64),
  seq: z.number().int().positive(),
  /** Milliseconds since the Unix epoch, when the event was recorded. */
  at: TimestampSchema,
}

export const PaddockEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('workspace.opened'), workspace: WorkspaceSchema }),
  z.object({ ...base, type: z.literal('workspace.closed'), workspaceId: IdSchema }),
  z.object({ ...base, type: z.literal('session.created'), session: SessionSchema }),
  z.object({ ...base, type: z.literal('session.updated'), session: SessionSchema }),
  z.object({ ...base, type: z.literal('session.deleted'), workspaceId: IdSchema }),
  z.object({ ...base, type: z.literal('entry.appended'), entry: EntrySchema }),
  /**
   * On the host stream: the configured providers or the default model changed (in Settings, with
   * the CLI, in another window). Clients read `models.list` / `providers.list` again.
   */
  z.object({ ...base, type: z.literal('providers.changed') }),
  /**
   * On the host stream, live-only: an MCP server's configuration or state changed (started,
   * failed, its tools changed). Clients read `mcp.list` again.
   */
  z.object({ ...base, type: z.literal('mcp.changed'), ephemeral: z.literal(true) }),
  // Live-only events (`ephemeral: true`): not persisted, not replayed, and they do not advance the
  // stream's seq (they carry the stream's current head). What they show is also recorded durably
  // by the entries that follow (the finished assistant message, the tool result).
  z.object({
    ...base,
    type: z.literal('turn.delta'),
    ephemeral: z.literal(true),
    kind: z.enum(['text', 'reasoning', 'tool_args']),
    text: z.string(),
    /** For tool_args: which tool call of the message (0-based) and its name once known. */
    index: z.number().int().nonnegative().optional(),
    toolName: z.string().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('turn.state'),
    ephemeral: z.literal(true),
    state: TurnStateSchema,
    /** For `retrying`: the attempt number and how long until it, in ms. */
    attempt: z.number().int().optional(),
    retryInMs: z.number().int().nonnegative().optional(),
    message: z.string().optional(),
    /** For `tool`: the call being run. */
    toolCallId: z.string().optional(),
  }),
  // ── Terminals ── live-only, on the session's stream. `terminal.data` and `terminal.reset` go
  // only to clients that attached the terminal (`terminals.attach`); see the stream protocol in
  // contract/terminals.ts. `terminal.state` and `terminal.closed` go to every client;
  // `terminals.list` gives the current state at any time.
  z.object({
    ...base,
    type: z.literal('terminal.data'),
    ephemeral: z.literal(true),
    terminalId: IdSchema,
    /** Stream position of `data`'s first character (UTF-16 units since the terminal started). */
    offset: z.number().int().nonnegative(),
    /** Output as the shell wrote it (colours and escape sequences kept), whole characters only. */
    data: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('terminal.reset'),
    ephemeral: z.literal(true),
    terminalId: IdSchema,
    /** Why the client gets a fresh screen: it fell behind the stream (see TERMINAL_CLIENT_WINDOW). */
    reason: z.literal('lagging'),
    ...TerminalScreenSchema.shape,
  }),
  z.object({
    ...base,
    type: z.literal('terminal.state'),
    ephemeral: z.literal(true),
    /** The terminal as it is now (status, exit, cwd, busy, agentWaiting…). */
    terminal: TerminalInfoSchema,
  }),
  z.object({
    ...base,
    type: z.literal('terminal.closed'),
    ephemeral: z.literal(true),
    terminalId: IdSchema,
  }),
  // ── Worktrees ── live-only. The setup command of a new worktree session (on its
  // stream; `git.status` has the last state too), and the collision radar's report when it
  // changes (on the host stream; `worktrees.radar` has it at any time).
  z.object({
    ...base,
    type: z.literal('worktree.setup'),
    ephemeral: z.literal(true),
    setup: SetupStateSchema,
  }),
  z.object({
    ...base,
    type: z.literal('worktrees.radar'),
    ephemeral: z.literal(true),
    radar: RadarStateSchema,
  }),
])

export type PaddockEvent = z.infer<typeof PaddockEventSchema>
export type PaddockEventType = PaddockEvent['type']

export type EphemeralEvent = Extract<PaddockEvent, { ephemeral: true }>
export type DurableEvent = Exclude<PaddockEvent, { ephemeral: true }>

export function isEphemeral(event: PaddockEvent): event is EphemeralEvent {
  return 'ephemeral' in event && event.ephemeral === true
}

/** An event before the log gives it a seq and a time. */
export type EventDraft = DurableEvent extends infer E
  ? E extends DurableEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never

/** Last applied seq per stream. A stream missing from the map is replayed from its start. */
export const CursorsSchema = z.record(z.string().min(1).max(64), z.number().int().nonnegative())
export type Cursors = z.infer<typeof CursorsSchema>
