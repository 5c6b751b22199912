import type { IPty } from 'node-pty'

/** The part of node-pty the shells use. */
export interface PtyModule {
  spawn(
    file: string,
    args: string[],
    options: {
      name: string
      cols: number
      rows: number
      cwd: string
      env: Record<string, string>
      encoding: null
    },
  ): IPty
}

export type { IPty }

/** node-pty, or why it cannot be used here (a missing or mismatched native build). */
export async function loadPty(): Promise<{ pty: PtyModule } | { error: string }> {
  try {
    const mod = (await import('node-pty')) as unknown as { default?: PtyModule } & PtyModule
    const pty = typeof mod.spawn === 'function' ? mod : mod.default
    if (!pty || typeof pty.spawn !== 'function') return { error: 'node-pty has no spawn function' }
    return { pty }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}
