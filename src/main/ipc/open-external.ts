import { ipcMain } from 'electron'
import { z } from 'zod'
import type { Logger } from '../core/logger'
import { externalLinkDecision } from '../desktop/navigation'
import { IPC } from './channels'
import { isTrustedSender } from './sender'

/** What the preload sends: the link and whether the page had a user gesture when it asked. */
export const OpenExternalRequestSchema = z
  .object({ url: z.string().min(1).max(8192), userGesture: z.boolean() })
  .strict()

export interface OpenExternalOptions {
  logger: Logger
  rendererIndexUrl: string
  devServerUrl?: string
  /** Electron's `shell.openExternal`, passed in by the composition root. */
  openExternal: (url: string) => Promise<void>
}

/**
 * The one way a link leaves the desktop app: our window's top frame asks, during a click or key
 * press, for a web or mail address without credentials (`externalLinkDecision`); anything else is
 * refused and logged. The browser opens the canonical form of the address, the one the link shows.
 */
export function registerOpenExternal(options: OpenExternalOptions): () => void {
  const { logger } = options
  ipcMain.on(IPC.openExternal, (e, request: unknown) => {
    if (!isTrustedSender(e.senderFrame, options.rendererIndexUrl, options.devServerUrl)) {
      logger.log('warn', 'open link from an untrusted frame refused', { url: e.senderFrame?.url })
      return
    }
    const parsed = OpenExternalRequestSchema.safeParse(request)
    if (!parsed.success) {
      logger.log('warn', 'bad open link request', { error: parsed.error.message })
      return
    }
    const decision = externalLinkDecision(parsed.data.url, {
      userGesture: parsed.data.userGesture,
    })
    if (!decision.open) {
      logger.log('warn', 'open link refused', {
        url: parsed.data.url.slice(0, 200),
        reason: decision.reason,
      })
      return
    }
    logger.log('info', 'opening link outside the app', { host: decision.host })
    // eng-disable OPEN_EXTERNAL_JS_CHECK (reason: decision.url passed the scheme and user-gesture checks above)
    const opening = options.openExternal(decision.url) // eng-disable OPEN_EXTERNAL_JS_CHECK
    opening.catch((err: unknown) => {
      logger.log('warn', 'open link failed', { host: decision.host, error: String(err) })
    })
  })
  return () => {
    ipcMain.removeAllListeners(IPC.openExternal)
  }
}
