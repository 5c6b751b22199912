import { homedir, hostname } from 'node:os'
import type { Database } from 'better-sqlite3'
import type { Cursors, PaddockEvent } from '../../shared/events'
import type { HostInfo } from '../../shared/model'
import type { CallOutcome } from '../../shared/wire'
import { newSecret } from '../core/ids'
import type { Logger } from '../core/logger'
import { openDatabase } from '../sessions/database'
import { LEASE_HEARTBEAT_MS, Leases } from '../sessions/leases'
import { Store } from '../sessions/store'
import { listDirs, resolveWorkspacePath, workspaceName } from '../workspaces/paths'
import type { CallMeta, Handlers } from './dispatcher'
import { createDispatcher } from './dispatcher'
import { EventBus } from './event-bus'
import { APP_VERSION } from '../core/version'

export interface EngineOptions {
  dataDir: string
  kind: HostInfo['kind']
  logger: Logger
  /** Where `native/` lives (the Electron-ABI SQLite addon); only used inside Electron. */
  appRoot?: string
  home?: string
  now?: () => number
  /** Tail the database for other processes' commits (hosts with live clients want this). */
  watch?: boolean
}

/**
 * The engine behind every host: state, persistence and the contract's handlers. It never imports
 * electron; hosts reach it only through `call` and `subscribe`.
 */
export interface Engine {
  readonly info: HostInfo
  readonly db: Database
  readonly store: Store
  call(method: unknown, params: unknown, meta: CallMeta): Promise<CallOutcome>
  subscribe(
    since: Cursors,
    listener: (event: PaddockEvent) => void,
  ): { replay: PaddockEvent[]; dispose: () => void }
  close(): void
}

const HOLDER_NAMES: Record<HostInfo['kind'], string> = {
  electron: 'the Paddock desktop app',
  web: 'the Paddock web host',
  cli: 'a paddock command',
}

export function createEngine(options: EngineOptions): Engine {
  const now = options.now ?? Date.now
  const home = options.home ?? homedir()
  const { logger } = options
  const db = openDatabase(options.dataDir, { appRoot: options.appRoot })
  let bus: EventBus | null = null
  const store = new Store(db, now, () => bus?.pump())
  bus = new EventBus(store.events, logger)
  if (options.watch) bus.watchDataDir(options.dataDir)

  const info: HostInfo = {
    version: APP_VERSION,
    kind: options.kind,
    dataDir: options.dataDir,
    platform: process.platform,
    pid: process.pid,
    hostname: hostname(),
  }
  const leases = new Leases(
    db,
    {
      pid: process.pid,
      host: info.hostname,
      holder: HOLDER_NAMES[options.kind],
      token: newSecret(),
    },
    now,
  )
  const heartbeat = setInterval(() => {
    try {
      leases.heartbeat()
    } catch (err) {
      logger.log('warn', 'lease heartbeat failed', { error: String(err) })
    }
  }, LEASE_HEARTBEAT_MS)
  heartbeat.unref()

  const handlers: Handlers = {
    'host.info': () => info,
    'host.snapshot': () => {
      const read = db.transaction(() => ({
        workspaces: store.listWorkspaces(),
        sessions: store.listSessions(),
        cursors: store.events.heads(),
      }))
      return read.deferred()
    },
    'fs.listDirs': ({ path, showHidden }) => listDirs(path, home, showHidden ?? false),
    'workspaces.list': () => store.listWorkspaces(),
    'workspaces.open': async ({ path }) => {
      const real = await resolveWorkspacePath(path, home)
      const ws = store.openWorkspace(real, workspaceName(real))
      logger.log('info', 'workspace opened', { path: real, id: ws.id })
      return ws
    },
    'workspaces.close': ({ workspaceId }) => {
      store.closeWorkspace(workspaceId)
      return { workspaceId }
    },
    'sessions.list': ({ workspaceId }) => store.listSessions(workspaceId),
    'sessions.create': ({ workspaceId, title }) => store.createSession(workspaceId, title),
    'sessions.rename': ({ sessionId, title }) => store.renameSession(sessionId, title),
    'sessions.delete': ({ sessionId }) => {
      store.deleteSession(sessionId, (s) => leases.assertNotHeldByOther(s.id, s.title))
      return { sessionId }
    },
    'sessions.lease': ({ sessionId }) => {
      const session = store.getSession(sessionId)
      return leases.acquire(sessionId, session.title)
    },
    'sessions.release': ({ sessionId }) => {
      leases.release(sessionId)
      return { sessionId }
    },
    'sessions.entries': ({ sessionId, leafId }) => store.branch(sessionId, leafId),
  }
  const dispatch = createDispatcher(handlers, logger)
  let closed = false

  return {
    info,
    db,
    store,
    call: (method, params, meta) => dispatch(method, params, meta),
    subscribe: (since, listener) => bus!.subscribe(since, listener),
    close() {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      bus?.close()
      try {
        leases.releaseAll()
      } catch (err) {
        logger.log('warn', 'could not release leases', { error: String(err) })
      }
      db.close()
    },
  }
}
