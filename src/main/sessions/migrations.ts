import type { Database } from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  up(db: Database): void
}

/**
 * Schema history. Append only: never edit a migration that has shipped; add the next one.
 * `PRAGMA user_version` records the last applied version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'workspaces, sessions, entries, events, leases',
    up(db: Database): void {
      db.exec(`
        CREATE TABLE workspaces (
          id TEXT PRIMARY KEY,
          path TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_opened_at INTEGER NOT NULL,
          closed_at INTEGER
        );
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          workspace_id TEXT NOT NULL REFERENCES workspaces(id),
          title TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          leaf_id TEXT
        );
        CREATE INDEX sessions_by_workspace ON sessions(workspace_id, created_at);
        -- The session log: an append-only tree. Rewinding moves sessions.leaf_id; rows never change.
        CREATE TABLE entries (
          id TEXT PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
          parent_id TEXT REFERENCES entries(id),
          type TEXT NOT NULL,
          payload TEXT NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX entries_by_session ON entries(session_id, created_at);
        -- Events per stream (a session id, or 'host'); seq is gap-free per stream.
        CREATE TABLE events (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          stream TEXT NOT NULL,
          seq INTEGER NOT NULL,
          type TEXT NOT NULL,
          body TEXT NOT NULL,
          at INTEGER NOT NULL,
          UNIQUE (stream, seq)
        );
        CREATE TABLE leases (
          session_id TEXT PRIMARY KEY,
          pid INTEGER NOT NULL,
          host TEXT NOT NULL,
          holder TEXT NOT NULL,
          token TEXT NOT NULL,
          heartbeat_at INTEGER NOT NULL
        );
      `)
    },
  },
  {
    version: 2,
    name: 'settings',
    up(db: Database): void {
      db.exec(`
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `)
    },
  },
  {
    version: 3,
    name: 'workspace trust',
    up(db: Database): void {
      // A workspace's own permission file counts only once the user trusts the workspace.
      db.exec('ALTER TABLE workspaces ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0')
    },
  },
  {
    version: 4,
    name: 'session worktrees',
    up(db: Database): void {
      // A worktree session records its folder, branch and base (JSON); a deleted one is kept,
      // hidden, for 30 days so it can be restored; a workspace remembers the last choice.
      db.exec(`
        ALTER TABLE sessions ADD COLUMN worktree TEXT;
        ALTER TABLE sessions ADD COLUMN deleted_at INTEGER;
        ALTER TABLE workspaces ADD COLUMN session_place TEXT;
      `)
    },
  },
  {
    version: 5,
    name: 'ui state',
    up(db: Database): void {
      // What the workbench looks like (the layout, as JSON under the key 'layout'), kept by the
      // host so every client comes back as it was; read through its schema, never trusted.
      db.exec(`
        CREATE TABLE ui_state (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `)
    },
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
