import type { Database } from 'better-sqlite3'
import type { HostInfo } from '../../shared/model'
import type { Store } from '../sessions/store'
import type { Handlers } from './dispatcher'

/** The contract's host methods: who this host is, and one consistent first picture of its state. */
export function hostHandlers(deps: {
  info: HostInfo
  db: Database
  store: Store
}): Pick<Handlers, 'host.info' | 'host.snapshot'> {
  const { info, db, store } = deps
  return {
    'host.info': () => info,
    'host.snapshot': () => {
      const read = db.transaction(() => ({
        workspaces: store.listWorkspaces(),
        sessions: store.listSessions(),
        cursors: store.events.heads(),
      }))
      return read.deferred()
    },
  }
}
