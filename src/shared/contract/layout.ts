import { z } from 'zod'
import { LayoutSchema } from '../layout'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Layout: the workbench's open tabs, panes, focus, split sizes and collapsed panels
// (`src/shared/layout.ts`), stored by the host so the desktop app and a reloaded browser come back
// as they were. One layout per data folder: every client reads and writes the same one, the last
// save wins, and a save is not announced to other clients (two windows would fight over it).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** The largest layout the host stores, as JSON, in bytes (UTF-8). */
export const MAX_LAYOUT_BYTES = 64 * 1024

export const layoutMethods = {
  /**
   * The stored layout, made consistent with the sessions that exist now (deleted sessions and those
   * of closed workspaces are dropped, the focus kept in range); `null` when none was ever saved, or
   * when the stored one no longer parses (written by another version, damaged: it is logged).
   */
  'layout.get': {
    input: z.object({}).strict(),
    output: z.object({ layout: LayoutSchema.nullable() }),
  },
  /**
   * Store the layout, replacing the last one (last write wins; nothing is broadcast). Refused with
   * `invalid_params` when it is not a valid layout and `payload_too_large` over `MAX_LAYOUT_BYTES`;
   * a refused save leaves the stored layout as it was.
   */
  'layout.save': {
    input: z.object({ layout: LayoutSchema }).strict(),
    output: z.object({}),
  },
} as const
