import type { Session } from '../../../../shared/model'

/**
 * Whether two sessions work in the same folder, so one changes the files the other sees: two
 * sessions in place in the same workspace. A worktree session has its own folder and shares it
 * with no one (and a session in place does not see a worktree's files).
 */
export function sharesFolder(a: Session, b: Session): boolean {
  return a.id !== b.id && a.workspaceId === b.workspaceId && !a.worktree && !b.worktree
}

/** The other sessions that work in `session`'s folder (none for a worktree session). */
export function folderMates(
  sessions: Readonly<Record<string, Session>>,
  sessionId: string,
): Session[] {
  const session = sessions[sessionId]
  if (!session) return []
  return Object.values(sessions).filter((s) => sharesFolder(session, s))
}
