import { gitExit } from './git'

/** The radar's check of this machine's git (its calls go through `git.ts` like every other). */

/** `git version 2.39.5`, `git version 2.38.0.windows.1`, `git version 2.39.3 (Apple Git-145)`. */
export function parseGitVersion(text: string): [number, number, number] | undefined {
  const m = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text)
  if (!m) return undefined
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
}

/** `git merge-tree --write-tree` (the mode that needs no checkout) arrived in git 2.38. */
export function versionSupportsMergeTree(text: string): boolean {
  const v = parseGitVersion(text)
  if (!v) return false
  const [major, minor] = v
  return major > 2 || (major === 2 && minor >= 38)
}

export type MergeTreeSupport = { available: true } | { available: false; reason: string }

/** Whether this machine's git can run the radar, and why not when it cannot. */
export async function gitMergeTreeSupport(): Promise<MergeTreeSupport> {
  let out: string
  try {
    out = (await gitExit(['--version'], { cwd: process.cwd(), env: { LC_ALL: 'C' } })).stdout
  } catch {
    return { available: false, reason: 'git was not found on this computer' }
  }
  if (versionSupportsMergeTree(out)) return { available: true }
  const shown = out.trim() || 'an unknown git version'
  return {
    available: false,
    reason: `the collision radar needs git 2.38 or newer (git merge-tree --write-tree); found ${shown}`,
  }
}

/** git ≥ 2.38, else the radar says it is unavailable. */
export async function gitSupportsMergeTree(): Promise<boolean> {
  return (await gitMergeTreeSupport()).available
}
