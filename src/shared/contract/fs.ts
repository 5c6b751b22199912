import { z } from 'zod'
import { DirListingSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Filesystem: browsing the host's folders, to pick one to open as a workspace.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A path on the host. */
export const PathSchema = z.string().min(1).max(4096)

export const fsMethods = {
  'fs.listDirs': {
    input: z.object({ path: PathSchema.optional(), showHidden: z.boolean().optional() }).strict(),
    output: DirListingSchema,
  },
} as const
