import { z } from 'zod'

/**
 * What crosses between the desktop app's main process and the renderer about updates: which
 * downloaded version waits to be installed (the "Restart to update" banner), and the answer to a
 * restart request. Only the desktop app sends these; the web host and the CLI never update.
 */

/** Update channels: `stable` gets releases, `beta` pre-releases too. */
export const UpdateChannelSchema = z.enum(['stable', 'beta'])
export type UpdateChannel = z.infer<typeof UpdateChannelSchema>

/** A downloaded update waiting for a restart; null when there is none. */
export const UpdateNoticeSchema = z
  .object({
    /** The version it installs, as published ("1.4.0", "1.5.0-beta.2"). */
    version: z.string().min(1).max(100),
  })
  .strict()
  .nullable()
export type UpdateNotice = z.infer<typeof UpdateNoticeSchema>

/**
 * What a restart request did: `restarting` (the app quits and installs), `agents_running` (refused:
 * an agent of this app is running; the banner says to wait), `nothing_ready` (no update waits).
 */
export const RestartOutcomeSchema = z.enum(['restarting', 'agents_running', 'nothing_ready'])
export type RestartOutcome = z.infer<typeof RestartOutcomeSchema>
