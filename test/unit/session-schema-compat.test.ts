import { describe, expect, it } from 'vitest'
import { PaddockEventSchema } from '../../src/shared/events'

/**
 * Events are stored and replayed: a `session.created` or `workspace.opened` written before
 * worktrees existed has no `worktree` / `sessionPlace`, and must still read back (as null), not
 * be taken for a corrupt database.
 */
describe('events stored before worktree sessions', () => {
  it('read back with worktree and sessionPlace null', () => {
    const session = {
      id: 's1',
      workspaceId: 'w1',
      title: 'Old',
      createdAt: 1,
      updatedAt: 1,
      leafId: null,
    }
    const created = PaddockEventSchema.parse({
      type: 'session.created',
      sessionId: 's1',
      seq: 1,
      at: 1,
      session,
    })
    expect(created).toMatchObject({ session: { ...session, worktree: null } })
    const opened = PaddockEventSchema.parse({
      type: 'workspace.opened',
      sessionId: 'host',
      seq: 1,
      at: 1,
      workspace: { id: 'w1', path: '/p', name: 'p', createdAt: 1, lastOpenedAt: 1, trusted: false },
    })
    expect(opened).toMatchObject({ workspace: { sessionPlace: null } })
  })
})
