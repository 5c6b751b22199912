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

/** One finding of the doctor: what was checked, how it stands, and the fix in one sentence. */
export const DoctorCheckSchema = z.object({
  id: z.enum(['git', 'gh', 'sandbox', 'pty', 'path', 'disk', 'data']),
  title: z.string(),
  /** `info`: nothing is wrong, but something is missing that a feature would use. */
  status: z.enum(['ok', 'info', 'warn', 'fail']),
  detail: z.string(),
  fix: z.string().nullable(),
})
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>

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
  /** Check what Paddock depends on (git, the sandbox, a PTY, the PATH, the data folder). */
  'host.doctor': {
    input: z.object({}).strict(),
    output: z.object({ checks: z.array(DoctorCheckSchema), ranAt: z.string() }),
  },
} as const
