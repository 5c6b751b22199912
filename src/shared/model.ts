import { z } from 'zod'
import { EntryTypeSchema } from './entries'

/** Ids are opaque strings minted by the engine (time-ordered, URL-safe). */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id')

/** Milliseconds since the Unix epoch. */
export const TimestampSchema = z.number().int().nonnegative()

export const WorkspaceSchema = z.object({
  id: IdSchema,
  /** Absolute, real (symlink-resolved) path of the folder on the engine host. */
  path: z.string(),
  name: z.string(),
  createdAt: TimestampSchema,
  lastOpenedAt: TimestampSchema,
  /** The user trusts this folder: its `.paddock/permissions.json` applies. */
  trusted: z.boolean(),
  /**
   * Where the last session created here works (the new-session choice, remembered). Events
   * stored before it existed lack it: null.
   */
  sessionPlace: z.enum(['in-place', 'worktree']).nullable().default(null),
})
export type Workspace = z.infer<typeof WorkspaceSchema>

export const LeaseSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  /** What holds it, e.g. "web host" or "paddock run". */
  holder: z.string(),
  heartbeatAt: TimestampSchema,
})
export type Lease = z.infer<typeof LeaseSchema>

/** A session that works in its own git worktree: where, on which branch, from what. */
export const SessionWorktreeSchema = z.object({
  /** Absolute path of the worktree folder: everything of the session is rooted here. */
  path: z.string(),
  /** Its branch, `paddock/<slug>`. */
  branch: z.string(),
  /** The base it started from and merges into (a branch name, or a commit when detached). */
  base: z.string(),
  /** The folder is gone (removed by hand): the session cannot run until it is restored. */
  missing: z.boolean(),
})
export type SessionWorktree = z.infer<typeof SessionWorktreeSchema>

export const SessionSchema = z.object({
  id: IdSchema,
  workspaceId: IdSchema,
  title: z.string(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  /** Current leaf of the session's entry tree; null for an empty session. */
  leafId: IdSchema.nullable(),
  /**
   * Its own git worktree; null when it works in the workspace folder itself (and in events stored
   * before worktrees existed).
   */
  worktree: SessionWorktreeSchema.nullable().default(null),
})
export type Session = z.infer<typeof SessionSchema>

/** Entry types and their payloads: see `ENTRY_PAYLOADS` in `entries.ts`. */
export { ENTRY_TYPES, EntryTypeSchema } from './entries'
export type { EntryType } from './entries'

export const EntrySchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  sessionId: IdSchema,
  type: EntryTypeSchema,
  payload: z.unknown(),
  createdAt: TimestampSchema,
})
export type Entry = z.infer<typeof EntrySchema>

export const DirEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  hidden: z.boolean(),
})
export type DirEntry = z.infer<typeof DirEntrySchema>

export const DirListingSchema = z.object({
  path: z.string(),
  /** Parent folder, or null at a filesystem root. */
  parent: z.string().nullable(),
  home: z.string(),
  /** Sub-folders only, sorted by name. */
  entries: z.array(DirEntrySchema),
  /** True when the listing was cut at the entry limit. */
  truncated: z.boolean(),
  /** Whether this folder could be opened as a workspace (not `/`, not the home folder itself). */
  openable: z.boolean(),
})
export type DirListing = z.infer<typeof DirListingSchema>

export const HostInfoSchema = z.object({
  version: z.string(),
  kind: z.enum(['electron', 'web', 'cli']),
  dataDir: z.string(),
  platform: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
})
export type HostInfo = z.infer<typeof HostInfoSchema>
