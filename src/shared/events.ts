import { z } from 'zod'
import { EntrySchema, IdSchema, SessionSchema, TimestampSchema, WorkspaceSchema } from './model'

/**
 * Every event belongs to one stream, named by `sessionId`, and carries that stream's `seq`: 1, 2, 3…
 * with no gaps, persisted, so it survives host restarts. A session's own events use its id; events
 * about workspaces (which belong to no session) use the reserved stream {@link HOST_STREAM}.
 * A client keeps the last `seq` it applied per stream and resubscribes from there.
 */
export const HOST_STREAM = 'host'

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
])

export type PaddockEvent = z.infer<typeof PaddockEventSchema>
export type PaddockEventType = PaddockEvent['type']

/** An event before the log gives it a seq and a time. */
export type EventDraft = PaddockEvent extends infer E
  ? E extends PaddockEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never

/** Last applied seq per stream. A stream missing from the map is replayed from its start. */
export const CursorsSchema = z.record(z.string().min(1).max(64), z.number().int().nonnegative())
export type Cursors = z.infer<typeof CursorsSchema>
