import { z } from 'zod'

/**
 * What crosses between the renderer and the desktop app's main process for notifications: an OS
 * notification to show, the dock/taskbar badge count, and which session a clicked notification is
 * about. The main process parses every message with these schemas (the renderer is not trusted to
 * send well-formed data); the preload only forwards them.
 */

/** Longest title and body shown, in characters (OS notifications cut them shorter anyway). */
export const MAX_NOTIFY_TITLE_CHARS = 200
export const MAX_NOTIFY_BODY_CHARS = 1000

export const DesktopNotifyRequestSchema = z
  .object({
    /** The session it is about; null for a test notification (a click only brings the window). */
    sessionId: z.string().min(1).max(200).nullable(),
    title: z.string().min(1).max(MAX_NOTIFY_TITLE_CHARS),
    body: z.string().max(MAX_NOTIFY_BODY_CHARS),
  })
  .strict()
export type DesktopNotifyRequest = z.infer<typeof DesktopNotifyRequestSchema>

/** Sessions waiting on the user, for the dock/taskbar badge; 0 clears it. */
export const BadgeCountSchema = z.number().int().min(0).max(9999)

/** What the main process tells the renderer when a notification is clicked. */
export const NotificationClickSchema = z.object({
  sessionId: z.string().min(1).max(200).nullable(),
})
export type NotificationClick = z.infer<typeof NotificationClickSchema>
