// Types of dist-plan.mjs, for the tests.
type Env = Record<string, string | undefined>
export function electronForDist(options: {
  binary: string | null
  env: Env
  download: () => string | null
  found: () => boolean
}): { ok: true } | { ok: false; line: string }
export function builderArgs(options: {
  root: string
  platform: string
  arch: string
  env: Env
  extra?: string[]
}): string[]
