/**
 * Which frames may talk to the engine: only the top-level frame of our own window, showing our own
 * renderer (the packaged file, or the dev server in development). Pure so it can be tested without
 * Electron.
 */
export interface FrameLike {
  url: string
  /** null for a top-level frame. */
  parent: unknown
}

export function isTrustedSender(
  frame: FrameLike | null | undefined,
  rendererIndexUrl: string,
  devServerUrl?: string,
): boolean {
  if (!frame || frame.parent !== null) return false
  let url: URL
  try {
    url = new URL(frame.url)
  } catch {
    return false
  }
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    if (url.origin === dev.origin) return true
  }
  const index = new URL(rendererIndexUrl)
  return url.protocol === 'file:' && url.pathname === index.pathname
}
