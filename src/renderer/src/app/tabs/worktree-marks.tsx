import type { JSX } from 'react'
import type { Session } from '../../../../shared/model'
import { BranchIcon } from '../../features/git/branch-icon'
import { mergeOrderText, overlapLines, radarOf } from '../../features/git/radar-text'
import { useAppStore } from '../store'
import '../../styles/worktrees.css'

/** The radar's words for a session that overlaps with another, or null (re-renders on change). */
export function useOverlapText(sessionId: string): string | null {
  return useAppStore((s) => {
    const mine = radarOf(s.radar, sessionId)
    if (!mine) return null
    const order = mergeOrderText(s.radar, sessionId)
    return [...overlapLines(mine), ...(order ? [order] : [])].join('. ')
  })
}

/**
 * Where a session's name is shown (tab, sidebar): a small branch mark for a worktree session
 * (its branch in the title, "folder gone" when it is missing), and a warning dot when the
 * collision radar finds its work would conflict with another session's. The words are in a
 * hidden span the control points at with aria-describedby (see describedBy), not in its name.
 */
export function WorktreeMarks({
  session,
  where,
}: {
  session: Session
  where: 'tab' | 'sidebar'
}): JSX.Element | null {
  const overlap = useOverlapText(session.id)
  const wt = session.worktree
  if (!wt) return null
  const markTitle = wt.missing ? `Worktree folder gone: ${wt.path}` : `Worktree on ${wt.branch}`
  return (
    <>
      <span
        className={wt.missing ? 'worktree-mark is-missing' : 'worktree-mark'}
        title={markTitle}
        data-worktree-mark={where}
        aria-hidden="true"
      >
        <BranchIcon />
      </span>
      {overlap !== null && (
        <span className="overlap-dot" title={overlap} data-overlap={where} aria-hidden="true" />
      )}
      {overlap !== null && (
        <span id={overlapDescriptionId(where, session.id)} hidden>
          {overlap}
        </span>
      )}
    </>
  )
}

export const overlapDescriptionId = (where: 'tab' | 'sidebar', sessionId: string): string =>
  `overlap-${where}-${sessionId}`

/** The ids a tab or sidebar entry's aria-describedby lists (badge, overlap), or undefined. */
export function describedBy(ids: ReadonlyArray<string | false | null>): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string')
  return list.length > 0 ? list.join(' ') : undefined
}
