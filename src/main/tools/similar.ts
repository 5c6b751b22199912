import { basename, dirname } from 'node:path'
import type { FsOps } from './types'

/** Edit distance (insertions, deletions, substitutions), giving up past `max` (returns max + 1). */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const cur = [i]
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost)
      cur.push(v)
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    prev = cur
  }
  return prev[b.length] ?? 0
}

/** Dice coefficient of character bigrams: 1 for equal strings, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1
  if (a.length < 2 || b.length < 2) return 0
  const grams = new Map<string, number>()
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2)
    grams.set(g, (grams.get(g) ?? 0) + 1)
  }
  let common = 0
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2)
    const n = grams.get(g) ?? 0
    if (n > 0) {
      common++
      grams.set(g, n - 1)
    }
  }
  return (2 * common) / (a.length - 1 + (b.length - 1))
}

/**
 * Names in the folder of a missing `path` that look like what was meant (same name in another
 * case, a small typo, or one name containing the other), best first, at most `limit`.
 */
export async function closeNames(fs: FsOps, path: string, limit = 5): Promise<string[]> {
  let names: string[]
  try {
    names = (await fs.readdir(dirname(path))).map((e) => e.name)
  } catch {
    return []
  }
  const wanted = basename(path).toLowerCase()
  const stem = wanted.replace(/\.[^.]*$/, '')
  const scored: Array<{ name: string; score: number }> = []
  for (const name of names) {
    const lower = name.toLowerCase()
    const budget = Math.max(2, Math.floor(wanted.length / 4))
    const distance = levenshtein(lower, wanted, budget)
    if (distance <= budget) scored.push({ name, score: distance })
    else if (stem.length >= 3 && lower.includes(stem)) scored.push({ name, score: budget + 1 })
    else {
      const otherStem = lower.replace(/\.[^.]*$/, '')
      if (otherStem.length >= 3 && wanted.includes(otherStem)) {
        scored.push({ name, score: budget + 2 })
      }
    }
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1))
  return scored.slice(0, limit).map((s) => s.name)
}
