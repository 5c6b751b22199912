import { fuzzyScore } from '../../../../shared/fuzzy'
import type { Session, Workspace } from '../../../../shared/model'

/** One session as "Go to session" lists it. */
export interface SessionOption {
  id: string
  title: string
  /** The workspace's name, and the branch when the session works in a worktree. */
  detail: string
  /** Its tab is the active one. */
  active: boolean
}

/**
 * Every session of every workspace, matching `query` by title (or title and workspace name),
 * best first; an empty query lists the most recently active first, the shown session last (it
 * is where the user already is).
 */
export function sessionOptions(
  query: string,
  sessions: Record<string, Session>,
  workspaces: Record<string, Workspace>,
  activeId: string | null,
): SessionOption[] {
  const all = Object.values(sessions).map((s) => {
    const ws = workspaces[s.workspaceId]?.name ?? ''
    const detail = s.worktree ? `${ws} · ${s.worktree.branch}` : ws
    return { session: s, option: { id: s.id, title: s.title, detail, active: s.id === activeId } }
  })
  if (query.trim() === '') {
    return all
      .sort(
        (x, y) =>
          Number(x.option.active) - Number(y.option.active) ||
          y.session.updatedAt - x.session.updatedAt,
      )
      .map((x) => x.option)
  }
  const scored: { option: SessionOption; score: number }[] = []
  for (const { option } of all) {
    const title = fuzzyScore(query, option.title)
    const both = fuzzyScore(query, `${option.title} ${option.detail}`)
    const score = title ?? (both === null ? null : both - 5)
    if (score !== null) scored.push({ option, score })
  }
  scored.sort((x, y) => y.score - x.score || x.option.title.localeCompare(y.option.title))
  return scored.map((s) => s.option)
}
