import { useEffect, useRef, useState } from 'react'
import type { ChangedFile, MethodOutput } from '../../../../shared/contract'
import { entryFeed } from '../../app/entry-feed'
import { useAppStore } from '../../app/store'
import { getClient } from '../../lib/api/client'
import { errorMessage } from '../../lib/api/error-message'
import type { ListedFile } from './file-list'

/** Entry types after which what differs from the base may have changed. */
const RELEVANT = new Set(['checkpoint', 'note', 'tool_result'])

/** A file that differs from the base, as the Changes list shows it. */
export type BaseListedFile = ListedFile & { gitStatus: string }

export type BaseSides = MethodOutput<'git.baseFile'>

export interface BaseDiffData {
  base: string
  mergeBase: string
  files: BaseListedFile[]
  /** Which load this is: an open file's sides are read again with every load. */
  generation: number
}

/** Git's status letters (`M`, `A`, `D`, `R`, `??`…) as the list's words. */
export function listedOf(f: ChangedFile): BaseListedFile {
  const letter = f.status.trim()
  const status =
    letter === '??' || letter.startsWith('A')
      ? 'added'
      : letter.startsWith('D')
        ? 'deleted'
        : letter.startsWith('R')
          ? 'renamed'
          : 'modified'
  return { path: f.path, ...(f.from ? { oldPath: f.from } : {}), status, gitStatus: f.status }
}

/**
 * What differs between the worktree session's base branch (where its branch left it) and its
 * worktree now, committed or not (`git.baseDiff`); read again when the session records a tool
 * result or checkpoint, after a lost connection, and on `bump`.
 */
export function useBaseDiff(
  sessionId: string,
  bump: number,
): { data: BaseDiffData | null; error: string | null } {
  const [state, setState] = useState<{ data: BaseDiffData | null; error: string | null }>({
    data: null,
    error: null,
  })
  const [version, setVersion] = useState(0)
  const resyncs = useAppStore((s) => s.resyncs)
  const generation = useRef(0)

  useEffect(
    () =>
      entryFeed.subscribe(sessionId, (entries) => {
        if (entries.some((e) => RELEVANT.has(e.type))) setVersion((v) => v + 1)
      }),
    [sessionId],
  )

  useEffect(() => {
    const mine = ++generation.current
    getClient()
      .call('git.baseDiff', { sessionId })
      .then(
        (d) =>
          mine === generation.current &&
          setState({
            data: {
              base: d.base,
              mergeBase: d.mergeBase,
              files: d.files.map(listedOf),
              generation: mine,
            },
            error: null,
          }),
        (err: unknown) =>
          mine === generation.current &&
          setState((s) => ({ data: s.data, error: errorMessage(err) })),
      )
  }, [sessionId, version, bump, resyncs])

  return state
}
