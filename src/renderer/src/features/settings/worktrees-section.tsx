import type { JSX } from 'react'
import '../../styles/settings-worktrees.css'
import { DeletedSessions } from './deleted-sessions'
import type { SettingFieldSpec } from './settings-form'
import { SettingsForm } from './settings-form'
import { useWorktrees } from './use-worktrees'
import { WorktreesTable } from './worktrees-table'

const FIELDS: SettingFieldSpec[] = [
  {
    key: 'worktrees.dir',
    label: 'Worktrees folder',
    kind: 'text',
    mono: true,
    placeholder: 'Default: <repo parent>/<repo>.worktrees',
    help: 'An absolute path (~ is your home), outside the repository and outside Paddock’s data folder. New worktree sessions go there; existing ones stay where they are.',
  },
]

/**
 * Worktrees: where new session worktrees go, every worktree with its size and last activity (to
 * prune the ones removed by hand), and the deleted sessions that can still be restored.
 */
export function WorktreesSection(): JSX.Element {
  const { worktrees, deleted, error, reload } = useWorktrees()
  return (
    <>
      <SettingsForm
        id="worktrees"
        title="Where worktrees go"
        description="A worktree session works in its own folder, on a new branch paddock/‹name›."
        fields={FIELDS}
      />
      <WorktreesTable worktrees={worktrees} error={error} reload={reload} />
      <DeletedSessions deleted={deleted} reload={reload} />
    </>
  )
}
