import { describe, expect, it } from 'vitest'
import type { CheckpointSummary, TreeEntry } from '../../src/shared/contract'
import {
  buildTimeline,
  isEmptyPoint,
  pointLabel,
  triggerOf,
} from '../../src/renderer/src/features/timeline/timeline-model'

let clock = 1_700_000_000_000
function entry(
  id: string,
  parentId: string | null,
  type: TreeEntry['type'],
  summary = '',
): TreeEntry {
  return { id, parentId, type, createdAt: clock++, summary }
}

function checkpoint(
  id: string,
  entryId: string,
  turnId: string | null,
  path: string,
): CheckpointSummary {
  return {
    id: id.padEnd(40, '0'),
    ref: `refs/paddock/s/${id}`,
    n: 1,
    reason: 'turn-end',
    label: null,
    createdAt: clock++,
    filesChanged: 1,
    additions: 2,
    deletions: 1,
    unprotected: 0,
    entryId,
    toolCallId: null,
    toolName: null,
    turnId,
    anchorId: null,
    files: [{ path, status: 'modified', additions: 2, deletions: 1, binary: false }],
    ownChanges: true,
  }
}

// p1 → a1 → c1 → e1 (turn 1) → p2 → c2 → e2 (turn 2, old branch)
//                            ↘ b (rewind) → p3 → c3 (turn 3, current)
const tree: TreeEntry[] = [
  entry('p1', null, 'user_message', 'First prompt'),
  entry('a1', 'p1', 'assistant_message', 'calls write'),
  entry('c1', 'a1', 'checkpoint', 'turn-end · 1 files'),
  entry('e1', 'c1', 'turn_end', 'done'),
  entry('p2', 'e1', 'user_message', 'Second prompt'),
  entry('c2', 'p2', 'checkpoint', 'turn-end · 1 files'),
  entry('e2', 'c2', 'turn_end', 'done'),
  entry('b', 'e1', 'branch_point', 'Conversation rewound to this point'),
  entry('p3', 'b', 'user_message', 'Third prompt'),
  entry('c3', 'p3', 'checkpoint', 'turn-end · 1 files'),
]
const checkpoints = [
  checkpoint('aa', 'c1', 'p1', 'a.txt'),
  checkpoint('bb', 'c2', 'p2', 'b.txt'),
  checkpoint('cc', 'c3', 'p3', 'c.txt'),
]

describe('the timeline model', () => {
  it('puts the current branch first, each point once, grouped by prompt', () => {
    const model = buildTimeline(checkpoints, { leafId: 'c3', entries: tree })
    expect(model.lanes.map((l) => [l.leafId, l.current, l.forkLabel])).toEqual([
      ['c3', true, null],
      ['e2', false, 'First prompt'],
    ])
    expect(model.lanes[0]!.groups.map((g) => [g.label, g.points.map((p) => p.index)])).toEqual([
      ['First prompt', [1]],
      ['Third prompt', [3]],
    ])
    expect(model.lanes[1]!.groups.map((g) => g.label)).toEqual(['Second prompt'])
    // The old branch's point follows the shared one in time.
    expect(model.lanes[1]!.groups[0]!.points[0]!.previousId).toBe(checkpoints[0]!.id)
    expect(model.order.map((p) => p.checkpoint.entryId)).toEqual(['c1', 'c3', 'c2'])
    // A rewind is on the branch: it can be undone.
    expect(model.canUndo).toBe(true)
    expect(pointLabel(model.order[0]!)).toMatch(/^Checkpoint 1: after step · a\.txt \+2 −1 · /)
  })

  it('switching the leaf to the old branch swaps the lanes; no rewind on it: nothing to undo', () => {
    const model = buildTimeline(checkpoints, { leafId: 'e2', entries: tree })
    expect(model.lanes.map((l) => l.leafId)).toEqual(['e2', 'c3'])
    expect(model.lanes[1]!.groups.map((g) => g.label)).toEqual(['Third prompt'])
    expect(model.canUndo).toBe(false)
  })

  it('labels a branch by the user’s prompt, not by Paddock’s correction to the model', () => {
    // p1 → c1 → a → k (correction) → c2 → e1 (turn 1, old branch)
    //                                    ↘ b (rewind) → p2 → c3 (turn 2, current)
    const corrected: TreeEntry[] = [
      { ...entry('p1', null, 'user_message', 'First prompt'), kind: 'prompt' },
      entry('c1', 'p1', 'checkpoint', 'turn-end · 1 files'),
      entry('a', 'c1', 'assistant_message', 'Now. <tool_call>{"name": '),
      {
        ...entry('k', 'a', 'user_message', '[Paddock] Your last message holds a tool call'),
        kind: 'correction',
      },
      entry('c2', 'k', 'checkpoint', 'turn-end · 1 files'),
      entry('e1', 'c2', 'turn_end', 'done'),
      entry('b', 'c2', 'branch_point', 'Conversation rewound to this point'),
      { ...entry('p2', 'b', 'user_message', 'Second prompt'), kind: 'prompt' },
      entry('c3', 'p2', 'checkpoint', 'turn-end · 1 files'),
    ]
    const points = [
      checkpoint('aa', 'c1', 'p1', 'a.txt'),
      checkpoint('bb', 'c2', 'p1', 'a.txt'),
      checkpoint('cc', 'c3', 'p2', 'b.txt'),
    ]
    const model = buildTimeline(points, { leafId: 'e1', entries: corrected })
    expect(model.lanes.map((l) => [l.leafId, l.forkLabel])).toEqual([
      ['e1', null],
      ['c3', 'First prompt'],
    ])
    expect(model.lanes[0]!.groups.map((g) => g.label)).toEqual(['First prompt'])
  })

  it('leaves out checkpoints with no entry in the tree', () => {
    const stray = { ...checkpoint('dd', 'gone', null, 'x'), entryId: null }
    const model = buildTimeline([...checkpoints, stray], { leafId: 'c3', entries: tree })
    expect(model.order).toHaveLength(3)
  })

  it('names what a restore and its undo wrote as their own groups, and tells empty points', () => {
    const restoreTree: TreeEntry[] = [
      ...tree,
      entry('n1', 'c3', 'note', 'Restored files to checkpoint aa (1 file).'),
      entry('r1', 'n1', 'checkpoint', 'after-restore · 1 files'),
      entry('n2', 'r1', 'note', 'Undid a restore: files back as they were before it (1 file).'),
      entry('r2', 'n2', 'checkpoint', 'after-restore · 1 files'),
      entry('p4', 'r2', 'user_message', 'Fourth prompt'),
      entry('c4', 'p4', 'checkpoint', 'before-tool'),
    ]
    const restored = {
      ...checkpoint('ee', 'r1', null, 'c.txt'),
      reason: 'after-restore',
      label: 'After restoring aa0000000000',
    }
    const undone = {
      ...checkpoint('ff', 'r2', null, 'c.txt'),
      reason: 'after-restore',
      label: 'After undoing a restore',
    }
    const empty = {
      ...checkpoint('gg', 'c4', 'p4', 'x'),
      reason: 'before-tool',
      toolName: 'edit',
      filesChanged: 0,
      files: [],
    }
    const model = buildTimeline([...checkpoints, restored, undone, empty], {
      leafId: 'c4',
      entries: restoreTree,
    })
    const groups = model.lanes[0]!.groups
    expect(groups.map((g) => g.label)).toEqual([
      'First prompt',
      'Third prompt',
      'Restore',
      'Undo restore',
      'Fourth prompt',
    ])
    expect(triggerOf(restored)).toBe('after restore')
    expect(triggerOf(undone)).toBe('after undo')
    const last = groups[4]!.points[0]!
    expect(isEmptyPoint(last)).toBe(true)
    expect(pointLabel(last)).toMatch(/before edit · no file changes/)
    expect(groups.slice(0, 4).every((g) => g.points.every((p) => !isEmptyPoint(p)))).toBe(true)
  })
})
