import { z } from 'zod'
import { CursorsSchema } from './events'

/**
 * Frames of the contract over a message transport (WebSocket). JSON text frames only.
 * Client → host: calls and subscriptions. Host → client: results, events, and the marker that a
 * subscription's replay has been delivered.
 */
export const ClientFrameSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('call'),
      id: z.number().int().nonnegative(),
      method: z.string().max(100),
      params: z.unknown(),
    })
    .strict(),
  z.object({ kind: z.literal('subscribe'), since: CursorsSchema }).strict(),
])
export type ClientFrame = z.infer<typeof ClientFrameSchema>

export type HostFrame =
  | { kind: 'result'; id: number; ok: true; result: unknown }
  | { kind: 'result'; id: number; ok: false; error: { code: string; message: string } }
  | { kind: 'event'; event: unknown }
  /** Everything missed before the subscription was delivered; live events follow. */
  | { kind: 'replayed' }
  /** A frame the host could not read at all (not JSON, unknown kind). */
  | { kind: 'error'; error: { code: string; message: string } }

/** Result of a call as it crosses a transport that cannot carry exceptions (IPC, WebSocket). */
export type CallOutcome =
  { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }
