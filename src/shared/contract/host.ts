import { z } from 'zod'
import { HostInfoSchema, SessionSchema, WorkspaceSchema } from '../model'
import { CursorsSchema } from '../events'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Host: the process that serves the engine (Electron main, the web host or the CLI). What it is,
// and everything a client needs to draw its first screen, with the stream cursors to subscribe from.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Largest serialized request a host accepts, in bytes of UTF-8 JSON. */
export const MAX_REQUEST_BYTES = 256 * 1024

/** What a client sends to subscribe: the last seq it applied per stream. */
export const SubscribeSchema = z.object({ since: CursorsSchema }).strict()
export type SubscribeRequest = z.infer<typeof SubscribeSchema>

export const hostMethods = {
  'host.info': {
    input: z.object({}).strict(),
    output: HostInfoSchema,
  },
  'host.snapshot': {
    input: z.object({}).strict(),
    output: z.object({
      workspaces: z.array(WorkspaceSchema),
      sessions: z.array(SessionSchema),
      /** Head seq of every stream at the moment of the snapshot; subscribe from these. */
      cursors: CursorsSchema,
    }),
  },
} as const
