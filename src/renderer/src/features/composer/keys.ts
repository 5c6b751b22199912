/** What a key press in the composer does, given whether the agent is running. */

export type ComposerAction = 'send' | 'steer' | 'queue' | 'stop'

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/**
 * Ctrl/Cmd+Enter sends (steers while the agent runs); Alt+Enter queues a follow-up while it runs
 * (and sends when idle); Esc stops a run. Plain Enter is a new line. Null: the key is not ours.
 */
export function keyAction(e: KeyLike, running: boolean): ComposerAction | null {
  const mod = e.ctrlKey || e.metaKey
  if (e.key === 'Enter' && !e.shiftKey) {
    if (mod && !e.altKey) return running ? 'steer' : 'send'
    if (e.altKey && !mod) return running ? 'queue' : 'send'
    return null
  }
  if (e.key === 'Escape' && !mod && !e.altKey && !e.shiftKey) return running ? 'stop' : null
  return null
}
