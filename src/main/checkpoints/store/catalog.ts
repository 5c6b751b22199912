import { CheckpointError, isMissing } from './errors'
import { decodeCommit } from '../git/git-object'
import type { Oid } from '../git/git-object'
import type { ObjectStore } from '../git/object-store'
import { checkpointRef, decodeMessage } from '../git/refs'
import type { CheckpointMeta, RefEntry, RefStore } from '../git/refs'
import type { CheckpointInfo } from './types'

export interface SessionHead {
  n: number
  oid: Oid
  tree: Oid
}

export function toInfo(id: Oid, meta: CheckpointMeta, tree: Oid): CheckpointInfo {
  return {
    id,
    ref: checkpointRef(meta.session, meta.n),
    sessionId: meta.session,
    n: meta.n,
    reason: meta.reason,
    label: meta.label,
    createdAt: meta.createdAt,
    tree,
    filesChanged: meta.files,
    additions: meta.additions,
    deletions: meta.deletions,
    unprotected: meta.unprotected,
  }
}

/**
 * What the store knows of its checkpoints: each one's details (from its commit, cached — commits
 * never change) and each session's latest.
 */
export class Catalog {
  private readonly heads = new Map<string, SessionHead | null>()
  private readonly infos = new Map<Oid, CheckpointInfo>()

  constructor(
    private readonly objects: ObjectStore,
    private readonly refs: RefStore,
  ) {}

  /** The session's latest checkpoint, or null for a session without any. */
  async head(sessionId: string): Promise<SessionHead | null> {
    if (this.heads.has(sessionId)) return this.heads.get(sessionId) ?? null
    const refs = await this.refs.list(sessionId)
    let head: SessionHead | null = null
    const last = refs[refs.length - 1]
    if (last) {
      const info = await this.info(last)
      head = { n: last.n, oid: last.oid, tree: info?.tree ?? '' }
    }
    this.heads.set(sessionId, head)
    return head
  }

  /** A checkpoint just written. */
  record(id: Oid, meta: CheckpointMeta, tree: Oid): void {
    this.heads.set(meta.session, { n: meta.n, oid: id, tree })
    this.infos.set(id, toInfo(id, meta, tree))
  }

  /** Forget sessions whose refs changed, and commits no longer in the store. */
  forget(sessions: Iterable<string>, kept: Set<Oid>): void {
    for (const s of sessions) this.heads.delete(s)
    for (const oid of [...this.infos.keys()]) if (!kept.has(oid)) this.infos.delete(oid)
  }

  async info(ref: RefEntry): Promise<CheckpointInfo | null> {
    const hit = this.infos.get(ref.oid)
    if (hit) return hit
    try {
      const obj = await this.objects.read(ref.oid)
      if (obj.type !== 'commit') return null
      const commit = decodeCommit(obj.content)
      const meta = decodeMessage(commit.message) ?? {
        v: 1 as const,
        session: ref.sessionId,
        n: ref.n,
        reason: 'unknown',
        label: null,
        createdAt: commit.time * 1000,
        files: 0,
        additions: 0,
        deletions: 0,
        unprotected: 0,
      }
      const info = toInfo(ref.oid, { ...meta, session: ref.sessionId, n: ref.n }, commit.tree)
      this.infos.set(ref.oid, info)
      return info
    } catch (err) {
      if (isMissing(err)) return null
      throw err
    }
  }

  async list(sessionId: string): Promise<CheckpointInfo[]> {
    const out: CheckpointInfo[] = []
    for (const ref of await this.refs.list(sessionId)) {
      const info = await this.info(ref)
      if (info) out.push(info)
    }
    return out
  }

  /** A checkpoint id → its tree and metadata; a clear error when it is not one of ours. */
  async resolve(id: string): Promise<{ tree: Oid; meta: CheckpointMeta | null }> {
    let obj
    try {
      obj = await this.objects.read(id)
    } catch (err) {
      if (isMissing(err)) {
        throw new CheckpointError('not_found', `No checkpoint ${id} in this workspace.`)
      }
      throw err
    }
    if (obj.type !== 'commit') throw new CheckpointError('not_found', `${id} is not a checkpoint.`)
    const commit = decodeCommit(obj.content)
    return { tree: commit.tree, meta: decodeMessage(commit.message) }
  }
}
