import type { Entry } from '../../../../shared/model'
import { decideAppend, lastIdOf } from './entry-list'

export interface EntriesState {
  /** The session's branch, root → leaf. */
  entries: Entry[]
  /** A load is running (the first one, or a refetch after the branch moved elsewhere). */
  loading: boolean
  /** Why the last load failed; null when it did not. */
  error: string | null
  /** The branch has been loaded (or known to be empty) at least once. */
  loaded: boolean
  /** Only the branch's latest entries are in; the earlier ones are being fetched. */
  earlierLoading: boolean
}

/** Entries fetched first when a session opens; the rest follow in a second request. */
export const FIRST_PAGE = 1000

export interface SessionEntriesDeps {
  /**
   * The session's branch as the host has it now (`sessions.entries`): with `limit`, its last
   * entries; with `leafId`, the branch ending there.
   */
  fetchBranch: (sessionId: string, opts: { leafId?: string; limit?: number }) => Promise<Entry[]>
  /** Listen to the session's appended entries; returns a disposer. */
  subscribe: (sessionId: string, listener: (entries: Entry[]) => void) => () => void
  errorMessage: (err: unknown) => string
}

/**
 * One session's conversation, loaded once and then grown from the event stream: an appended entry
 * whose parent is the current last entry is added in place; anything else (a rewind, a fork) makes
 * it load the branch again. Entries that arrive while a load runs are held and applied to its
 * result, so nothing is lost between the fetch and the events. A store for `useSyncExternalStore`.
 */
export class SessionEntries {
  private state: EntriesState = {
    entries: [],
    loading: false,
    error: null,
    loaded: false,
    earlierLoading: false,
  }
  private readonly held = new Set<string>()
  private readonly listeners = new Set<() => void>()
  private unsubscribe: (() => void) | null = null
  /** Appended while a load runs; applied to what it returns. */
  private buffer: Entry[] = []
  /** Bumped by each load and by stop(): an older load's answer is dropped. */
  private generation = 0
  private inFlight = false
  private again = false
  /** The leaf the host state last reported; undefined: none since start. */
  private knownLeaf: string | null | undefined = undefined

  constructor(
    readonly sessionId: string,
    private readonly deps: SessionEntriesDeps,
    private readonly pageSize: number = FIRST_PAGE,
  ) {}

  getSnapshot = (): EntriesState => this.state

  subscribeView = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Follow the session's appended entries; `leafMoved` then says where its branch ends. */
  start(): void {
    if (this.unsubscribe) return
    this.knownLeaf = undefined
    this.unsubscribe = this.deps.subscribe(this.sessionId, (entries) => this.appended(entries))
  }

  stop(): void {
    this.unsubscribe?.()
    this.unsubscribe = null
    this.generation += 1
    this.inFlight = false
    this.again = false
    this.buffer = []
    if (this.state.loading || this.state.earlierLoading)
      this.set({ ...this.state, loading: false, earlierLoading: false })
  }

  /**
   * The session's leaf as the host state has it: the first call loads the branch. Appends reach
   * this store before the leaf moves, so a leaf that is not the last entry held means the branch
   * changed another way (a rewind): load it again.
   */
  leafMoved(leafId: string | null): void {
    if (!this.unsubscribe || leafId === this.knownLeaf) return
    this.knownLeaf = leafId
    if (this.inFlight) {
      // The load answers with the branch as it is then, plus what arrives meanwhile: only a leaf
      // that none of that explains needs another load.
      if (leafId === null || !this.buffer.some((e) => e.id === leafId)) this.again = true
      return
    }
    if (!this.state.loaded) {
      if (leafId !== null) this.load()
      else this.set({ ...this.state, loaded: true })
      return
    }
    if (leafId === lastIdOf(this.state.entries)) return
    if (leafId === null) {
      this.replace([])
      return
    }
    this.load()
  }

  private appended(entries: Entry[]): void {
    if (this.inFlight) {
      this.buffer.push(...entries)
      return
    }
    this.apply(entries)
  }

  private apply(entries: Entry[]): void {
    const decision = decideAppend(this.state.entries, (id) => this.held.has(id), entries)
    if (decision.kind === 'refetch') {
      this.load()
      return
    }
    if (decision.kind === 'unchanged') return
    for (const e of decision.added) this.held.add(e.id)
    this.set({ ...this.state, entries: [...this.state.entries, ...decision.added] })
  }

  private load(): void {
    if (this.inFlight) {
      this.again = true
      return
    }
    this.inFlight = true
    this.again = false
    const generation = ++this.generation
    if (!this.state.loading) this.set({ ...this.state, loading: true })
    this.deps.fetchBranch(this.sessionId, { limit: this.pageSize }).then(
      (entries) => {
        if (generation !== this.generation) return
        this.inFlight = false
        const earlier = entries.length >= this.pageSize ? (entries[0]?.parentId ?? null) : null
        this.replace(entries, earlier !== null)
        this.settle()
        if (earlier !== null) this.loadEarlier(earlier, generation)
      },
      (err: unknown) => {
        if (generation !== this.generation) return
        this.inFlight = false
        this.buffer = []
        this.set({ ...this.state, loading: false, error: this.deps.errorMessage(err) })
      },
    )
  }

  /** After a load: apply what arrived meanwhile, or load again if asked to. */
  private settle(): void {
    const pending = this.buffer
    this.buffer = []
    if (this.again) {
      this.load()
      return
    }
    if (pending.length > 0) this.apply(pending)
  }

  /**
   * A long session opens with its latest page; the entries before it come in one more request
   * and go in front (a load started meanwhile makes this answer moot).
   */
  private loadEarlier(leafId: string, generation: number): void {
    this.deps.fetchBranch(this.sessionId, { leafId }).then(
      (earlier) => {
        if (generation !== this.generation) return
        const fresh = earlier.filter((e) => !this.held.has(e.id))
        for (const e of fresh) this.held.add(e.id)
        this.set({
          ...this.state,
          entries: [...fresh, ...this.state.entries],
          earlierLoading: false,
        })
      },
      (err: unknown) => {
        if (generation !== this.generation) return
        this.set({ ...this.state, earlierLoading: false, error: this.deps.errorMessage(err) })
      },
    )
  }

  private replace(entries: Entry[], earlierLoading = false): void {
    this.held.clear()
    for (const e of entries) this.held.add(e.id)
    this.set({ entries, loading: false, error: null, loaded: true, earlierLoading })
  }

  private set(state: EntriesState): void {
    this.state = state
    for (const l of [...this.listeners]) l()
  }
}
