import type { Monaco } from './setup'

let loading: Promise<Monaco> | null = null

/** Monaco, loaded on first use (a separate chunk) and set up once. */
export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./setup').then((m) => m.monaco)
  return loading
}

export type { Monaco }
