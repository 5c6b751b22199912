import { fuzzyScore } from '../../../../shared/fuzzy'
import type { PaletteAction } from './actions'

/** The best score of `query` against the action's label and its keywords; null: no match. */
function actionScore(query: string, action: PaletteAction): number | null {
  const label = fuzzyScore(query, action.label)
  const group = fuzzyScore(query, `${action.group} ${action.label}`)
  const words = action.keywords ? fuzzyScore(query, action.keywords) : null
  const best = [label, group === null ? null : group - 2, words === null ? null : words - 5]
  const scores = best.filter((s): s is number => s !== null)
  return scores.length === 0 ? null : Math.max(...scores)
}

/**
 * The actions matching `query` (fuzzy: its characters in order), best first; available ones
 * before unavailable ones. An empty query keeps the registry's order.
 */
export function filterActions(query: string, actions: readonly PaletteAction[]): PaletteAction[] {
  const scored: { action: PaletteAction; score: number; index: number }[] = []
  actions.forEach((action, index) => {
    const score = query.trim() === '' ? 0 : actionScore(query, action)
    if (score !== null) scored.push({ action, score, index })
  })
  scored.sort(
    (x, y) =>
      Number(x.action.unavailable !== null) - Number(y.action.unavailable !== null) ||
      y.score - x.score ||
      x.index - y.index,
  )
  return scored.map((s) => s.action)
}
