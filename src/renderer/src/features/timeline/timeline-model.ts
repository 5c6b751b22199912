import type { CheckpointSummary, TreeEntry } from '../../../../shared/contract'

/** One checkpoint on the timeline. */
export interface TimelinePoint {
  checkpoint: CheckpointSummary
  /** Its position in time over the whole session (1, 2, …), for names. */
  index: number
  /** The point before it in time on its branch (null for the first). */
  previousId: string | null
}

/** The points one prompt's run took, labelled with the prompt. */
export interface TimelineGroup {
  key: string
  label: string
  points: TimelinePoint[]
}

/** A row of the timeline: one branch of the conversation (the current one first). */
export interface TimelineLane {
  /** The branch's leaf entry. */
  leafId: string
  current: boolean
  /** Where it leaves the branches above it: the prompt its first own entry follows. */
  forkLabel: string | null
  groups: TimelineGroup[]
}

export interface TimelineModel {
  lanes: TimelineLane[]
  /** Every point in display order (lane by lane): what the arrow keys step through. */
  order: TimelinePoint[]
  /** The branch has a restore or rewind that `sessions.undoRestore` would revert. */
  canUndo: boolean
}

const NO_TURN = 'Outside a run'

/** The entries from `leafId` up to the root, as a set of ids. */
function pathOf(leafId: string, parents: Map<string, string | null>): string[] {
  const out: string[] = []
  let at: string | null | undefined = leafId
  while (at && out.length <= parents.size) {
    out.push(at)
    at = parents.get(at)
  }
  return out.reverse()
}

/**
 * Lay a session's checkpoints out by branch and by turn. A point belongs to the first lane (the
 * current branch first, then the others, newest first) whose path holds its log entry; points
 * with no entry in the tree are left out.
 */
export function buildTimeline(
  checkpoints: CheckpointSummary[],
  tree: { leafId: string | null; entries: TreeEntry[] },
): TimelineModel {
  const parents = new Map<string, string | null>()
  const byId = new Map<string, TreeEntry>()
  const hasChild = new Set<string>()
  for (const e of tree.entries) {
    parents.set(e.id, e.parentId)
    byId.set(e.id, e)
    if (e.parentId) hasChild.add(e.parentId)
  }
  const leaves = tree.entries.filter((e) => !hasChild.has(e.id)).map((e) => e.id)
  const leafOrder = [
    ...(tree.leafId ? [tree.leafId] : []),
    ...leaves.filter((id) => id !== tree.leafId).reverse(),
  ]
  const byEntry = new Map<string, CheckpointSummary>()
  for (const c of checkpoints) if (c.entryId && byId.has(c.entryId)) byEntry.set(c.entryId, c)
  const indexOf = new Map<string, number>()
  ;[...byEntry.values()]
    .sort((a, b) => a.createdAt - b.createdAt || a.n - b.n)
    .forEach((c, i) => indexOf.set(c.id, i + 1))

  const placed = new Set<string>()
  const lanes: TimelineLane[] = []
  for (const leafId of leafOrder) {
    const path = pathOf(leafId, parents)
    let previousId: string | null = null
    let forkLabel: string | null = null
    let lastPrompt: string | null = null
    let sharedUntilPrompt: string | null = null
    const groups: TimelineGroup[] = []
    for (const id of path) {
      const entry = byId.get(id)
      // Paddock's correction to the model is not a prompt: a branch is named by the user's words.
      if (entry?.type === 'user_message' && entry.kind !== 'correction') lastPrompt = entry.summary
      const c = byEntry.get(id)
      if (!c) continue
      const point: TimelinePoint = { checkpoint: c, index: indexOf.get(c.id) ?? 0, previousId }
      previousId = c.id
      if (placed.has(c.id)) {
        sharedUntilPrompt = lastPrompt
        continue
      }
      placed.add(c.id)
      if (lanes.length > 0 && forkLabel === null) forkLabel = sharedUntilPrompt ?? 'the start'
      const key = c.turnId ?? `none-${c.id}`
      const last = groups[groups.length - 1]
      if (last && last.key === key) last.points.push(point)
      else {
        const label = c.turnId ? (byId.get(c.turnId)?.summary ?? 'A prompt') : outsideRun(c)
        groups.push({ key, label: label || 'A prompt', points: [point] })
      }
    }
    if (groups.length > 0 || leafId === tree.leafId) {
      lanes.push({ leafId, current: leafId === tree.leafId, forkLabel, groups })
    }
  }
  return {
    lanes,
    order: lanes.flatMap((l) => l.groups.flatMap((g) => g.points)),
    canUndo: tree.leafId ? canUndo(pathOf(tree.leafId, parents), byId) : false,
  }
}

/** What took a point outside any run: a restore, its undo, or the user. */
function outsideRun(c: CheckpointSummary): string {
  if (c.reason === 'after-restore') return isUndo(c) ? 'Undo restore' : 'Restore'
  return NO_TURN
}

/** A point taken after undoing a restore (its label says so). */
const isUndo = (c: CheckpointSummary): boolean => /undo/i.test(c.label ?? '')

/** A point whose snapshot changed no file: folded to a dot on the timeline. */
export function isEmptyPoint(p: TimelinePoint): boolean {
  return p.checkpoint.files.length === 0 && p.checkpoint.filesChanged === 0
}

/** The latest restore note or rewind on the branch, if it is not an undo. */
function canUndo(path: string[], byId: Map<string, TreeEntry>): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const e = byId.get(path[i]!)
    if (!e) continue
    if (e.type === 'branch_point') return true
    if (e.type === 'note' && e.summary.startsWith('Undid')) return false
    // "Restored …", or "Restoring …" alone: a restore cut short.
    if (e.type === 'note' && e.summary.startsWith('Restor')) return true
  }
  return false
}

/** "+3 −1" for a point, or "binary" parts. */
export function countText(additions: number | null, deletions: number | null): string {
  if (additions === null || deletions === null) return 'binary'
  return `+${additions} −${deletions}`
}

/** A point's one-line description: what triggered it, its files and when. */
export function pointLabel(p: TimelinePoint): string {
  const c = p.checkpoint
  const files = c.files.map((f) => `${f.path} ${countText(f.additions, f.deletions)}`).join(', ')
  const time = new Date(c.createdAt).toLocaleTimeString()
  return `Checkpoint ${p.index}: ${triggerOf(c)} · ${files || 'no file changes'} · ${time}`
}

/** The tool that triggered it, or why it was taken. */
export function triggerOf(c: CheckpointSummary): string {
  if (c.toolName) return `before ${c.toolName}`
  if (c.reason === 'turn-end') return 'after step'
  if (c.reason === 'before-restore') return 'before restore'
  if (c.reason === 'after-restore') return isUndo(c) ? 'after undo' : 'after restore'
  return c.reason
}
