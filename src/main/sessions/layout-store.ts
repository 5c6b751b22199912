import type { Database } from 'better-sqlite3'
import type { Handlers } from '../host/dispatcher'
import type { Logger } from '../core/logger'
import { MAX_LAYOUT_BYTES } from '../../shared/contract'
import { ContractError } from '../../shared/errors'
import type { Layout } from '../../shared/layout'
import { LayoutSchema, reconcile } from '../../shared/layout'

/** The `ui_state` row the layout is stored under. */
export const LAYOUT_KEY = 'layout'

/**
 * The workbench's layout, kept by the host in the `ui_state` table (one JSON row), so the desktop
 * app and a reloaded browser come back as they were. One layout per data folder: the last save
 * wins, and saves are not broadcast (two windows showing different sessions would otherwise keep
 * overwriting each other's screen). What is read back is parsed, never trusted: a row that no
 * longer parses (another version's shape, damage) reads as "no layout" and is logged.
 */
export class LayoutStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  /** The stored layout as saved (not reconciled), or null when there is none or it is unreadable. */
  stored(): Layout | null {
    const row = this.db.prepare('SELECT value FROM ui_state WHERE key = ?').get(LAYOUT_KEY) as
      { value: string } | undefined
    if (!row) return null
    let json: unknown
    try {
      json = JSON.parse(row.value)
    } catch (err) {
      this.logger.log('warn', 'stored layout is not JSON; starting from no layout', {
        error: String(err),
      })
      return null
    }
    const parsed = LayoutSchema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      this.logger.log('warn', 'stored layout does not parse; starting from no layout', {
        error: issue ? `${issue.path.join('.') || '(layout)'}: ${issue.message}` : 'invalid',
      })
      return null
    }
    return parsed.data
  }

  /**
   * The stored layout made consistent with the sessions a client can open now: a session deleted
   * (or soft-deleted) since, or one whose workspace was closed, is gone from it. The row itself is
   * left as saved; the client's next save writes the reconciled layout.
   */
  get(): Layout | null {
    const layout = this.stored()
    if (!layout) return null
    const live = this.liveSessions(layout.openTabs)
    return reconcile(layout, (id) => live.has(id))
  }

  /**
   * Store a layout, replacing the last one, in one transaction (a process killed mid-write leaves
   * the previous layout or this one, never a part). Validated here as well as by the contract,
   * since engine code may call it directly; refused whole, leaving the stored layout unchanged.
   */
  save(layout: unknown): void {
    const parsed = LayoutSchema.safeParse(layout)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new ContractError(
        'invalid_params',
        `Not a valid layout: ${issue ? `${issue.path.join('.') || '(layout)'}: ${issue.message}` : 'invalid'}.`,
      )
    }
    const json = JSON.stringify(parsed.data)
    const bytes = Buffer.byteLength(json, 'utf8')
    if (bytes > MAX_LAYOUT_BYTES) {
      throw new ContractError(
        'payload_too_large',
        `The layout is ${Math.ceil(bytes / 1024)} KB; the host stores at most ${MAX_LAYOUT_BYTES / 1024} KB. Close some tabs and it is saved again.`,
      )
    }
    const write = this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO ui_state (key, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        )
        .run(LAYOUT_KEY, json, this.now())
    })
    write.immediate()
  }

  /** Which of `ids` are sessions a client sees: not deleted, in a workspace that is open. */
  private liveSessions(ids: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set()
    const rows = this.db
      .prepare(
        `SELECT s.id AS id FROM sessions s JOIN workspaces w ON w.id = s.workspace_id
         WHERE s.deleted_at IS NULL AND w.closed_at IS NULL
           AND s.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as Array<{ id: string }>
    return new Set(rows.map((r) => r.id))
  }
}

/** The contract's layout methods. */
export function layoutHandlers(layouts: LayoutStore): Pick<Handlers, 'layout.get' | 'layout.save'> {
  return {
    'layout.get': () => ({ layout: layouts.get() }),
    'layout.save': ({ layout }) => {
      layouts.save(layout)
      return {}
    },
  }
}
