/**
 * Fuzzy matching of paths for pickers (@-mentions, quick open): the query's characters must appear
 * in order (case-insensitive); consecutive runs, matches at word starts (after `/`, `.`, `_`, `-`,
 * a space or a lower→upper case change) and matches in the file name score higher; shorter paths
 * win ties. Returns null when the query does not match.
 */
export function fuzzyScore(query: string, path: string): number | null {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (q.length === 0) return 0
  const lower = path.toLowerCase()
  const nameStart = path.lastIndexOf('/') + 1
  let score = 0
  let qi = 0
  let prev = -2
  for (let i = 0; i < path.length && qi < q.length; i++) {
    if (lower[i] !== q[qi]) continue
    let s = 1
    if (i === prev + 1) s += 5
    const before = i === 0 ? '/' : path[i - 1]!
    if ('/._- '.includes(before)) s += 4
    else if (before === before.toLowerCase() && path[i] !== path[i]!.toLowerCase()) s += 3
    if (i >= nameStart) s += 2
    score += s
    prev = i
    qi++
  }
  if (qi < q.length) return null
  // A query that is a substring of the file name is what people usually mean.
  if (lower.slice(nameStart).includes(q)) score += 10
  return score - path.length * 0.01
}

/** The best `limit` matches of `query` among `paths`, best first. */
export function fuzzyFilter(query: string, paths: readonly string[], limit: number): string[] {
  if (query.trim() === '') return paths.slice(0, limit)
  const scored: { path: string; score: number }[] = []
  for (const path of paths) {
    const score = fuzzyScore(query, path)
    if (score !== null) scored.push({ path, score })
  }
  scored.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1))
  return scored.slice(0, limit).map((s) => s.path)
}
