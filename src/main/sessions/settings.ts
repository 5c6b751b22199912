import type { Database } from 'better-sqlite3'
import type { Logger } from '../core/logger'
import { z } from 'zod'
import { ContractError } from '../../shared/errors'
import { openDatabase } from './database'
import { EDITABLE_SETTINGS, McpServerListSchema, ModelRefSchema } from '../../shared/contract'
import { ProviderConfigListSchema } from '../providers/provider-config'
import { UpdateChannelSchema } from '../../shared/update-bridge'

/**
 * Settings with a schema each, stored in SQLite (`settings` table) beside the sessions. Values are
 * validated on the way in and on the way out (a value written by hand or by a newer version that
 * no longer parses is reported, not used). The settings a client edits take their schemas from the
 * contract (`EDITABLE_SETTINGS`), so the CLI, the engine and the Settings view agree.
 */
const E = EDITABLE_SETTINGS
export const SETTINGS = {
  'network.proxy': E['network.proxy'],
  'network.noProxy': E['network.noProxy'],
  'network.caFile': E['network.caFile'],
  'network.requestTimeoutMs': E['network.requestTimeoutMs'],
  'spend.perSessionUsd': E['spend.perSessionUsd'],
  'permissions.rules': E['permissions.rules'],
  'spend.perDayUsd': E['spend.perDayUsd'],
  providers: ProviderConfigListSchema.describe(
    'Model providers: [{"name","kind","preset","baseUrl","apiKeyEnv","models"}]; keys are kept apart (paddock providers add)',
  ),
  'models.default': ModelRefSchema.describe('The model new sessions use: "<provider>/<model>"'),
  'terminals.scrollbackLines': E['terminals.scrollbackLines'],
  'terminals.shell': E['terminals.shell'],
  'agent.passEnv': E['agent.passEnv'],
  'sandbox.mode': E['sandbox.mode'],
  'sandbox.network': E['sandbox.network'],
  'context.autoCompact': E['context.autoCompact'],
  'context.reserveTokens': E['context.reserveTokens'],
  'context.keepRecentTokens': E['context.keepRecentTokens'],
  'loops.identicalCalls': E['loops.identicalCalls'],
  'loops.failingCommand': E['loops.failingCommand'],
  'loops.repeatedText': E['loops.repeatedText'],
  'models.fallbacks': E['models.fallbacks'],
  'models.fallbackCooldownMinutes': E['models.fallbackCooldownMinutes'],
  'worktrees.dir': E['worktrees.dir'],
  'notifications.approvalInput': E['notifications.approvalInput'],
  'notifications.finished': E['notifications.finished'],
  'notifications.failed': E['notifications.failed'],
  'notifications.sound': E['notifications.sound'],
  'appearance.theme': E['appearance.theme'],
  'firstRun.skipped': E['firstRun.skipped'],
  'updates.enabled': z
    .boolean()
    .describe('The desktop app checks for updates and downloads them (default true)'),
  'updates.channel': UpdateChannelSchema.describe(
    'Which releases the desktop app updates to: "stable" or "beta" (default stable)',
  ),
  'mcp.servers': McpServerListSchema.describe(
    'MCP servers: [{"name","transport","command","args","env"} | {"name","transport","url","headers"}]; header values are kept apart (paddock mcp add)',
  ),
  'checkpoints.maxCount': z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .describe('Checkpoints kept per workspace, newest first (default 2000)'),
  'checkpoints.maxAgeDays': z
    .number()
    .positive()
    .max(36_500)
    .describe('Checkpoints older than this many days are pruned (default 30)'),
  'checkpoints.maxBytes': z
    .number()
    .int()
    .min(1024 * 1024)
    .describe("Disk space one workspace's checkpoints may take, bytes (default 2 GiB)"),
  'checkpoints.sizeCapBytes': z
    .number()
    .int()
    .min(1)
    .max(2 ** 31)
    .describe(
      'Files larger than this are not captured (listed as unprotected), bytes (default 5 MB)',
    ),
} as const

export type SettingKey = keyof typeof SETTINGS
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, key)
}

export class Settings {
  constructor(private readonly db: Database) {}

  get<K extends SettingKey>(key: K): SettingValue<K> | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined
    if (!row) return undefined
    let json: unknown
    try {
      json = JSON.parse(row.value)
    } catch {
      json = undefined
    }
    const parsed = SETTINGS[key].safeParse(json)
    if (!parsed.success) {
      throw new ContractError(
        'invalid_params',
        `The stored setting ${key} is not valid: ${parsed.error.issues[0]?.message}`,
      )
    }
    return parsed.data as SettingValue<K>
  }

  /**
   * The stored value, or `undefined` when it is unset or unreadable; an unreadable one is logged
   * (with `consequence`: what happens instead), never thrown, so a bad row cannot stop a run.
   */
  read<K extends SettingKey>(
    key: K,
    logger: Logger,
    consequence = 'using the default',
  ): SettingValue<K> | undefined {
    try {
      return this.get(key)
    } catch (err) {
      logger.log('warn', `setting ${key} unreadable; ${consequence}`, { error: String(err) })
      return undefined
    }
  }

  /** Set from a typed value; throws `invalid_params` naming the key and the problem. */
  set<K extends SettingKey>(key: K, value: unknown, now: number = Date.now()): SettingValue<K> {
    const parsed = SETTINGS[key].safeParse(value)
    if (!parsed.success) {
      throw new ContractError(
        'invalid_params',
        `${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`,
      )
    }
    this.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(parsed.data), now)
    return parsed.data as SettingValue<K>
  }

  unset(key: SettingKey): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  }

  /** Every known setting with its value (undefined when unset). */
  list(): Array<{ key: SettingKey; value: unknown; description: string }> {
    return (Object.keys(SETTINGS) as SettingKey[]).map((key) => ({
      key,
      value: this.get(key),
      description: SETTINGS[key].description ?? '',
    }))
  }

  /** Parse a command-line string into the setting's type (numbers for numeric settings). */
  static parseText(key: SettingKey, text: string): unknown {
    const schema = SETTINGS[key] as z.ZodType
    if (text.trim().startsWith('[') || text.trim().startsWith('{')) {
      try {
        return JSON.parse(text) as unknown
      } catch {
        return text
      }
    }
    // `true` / `false` are booleans where the setting takes one (`context.autoCompact`, `loops.*`).
    const asBoolean = text.trim() === 'true' ? true : text.trim() === 'false' ? false : null
    if (asBoolean !== null && schema.safeParse(asBoolean).success) return asBoolean
    const asNumber = Number(text)
    if (text.trim() !== '' && Number.isFinite(asNumber) && schema.safeParse(asNumber).success)
      return asNumber
    return text
  }

  network(): { proxy?: string; noProxy?: string; caFile?: string; timeoutMs?: number } {
    const proxy = this.get('network.proxy')
    const noProxy = this.get('network.noProxy')
    const caFile = this.get('network.caFile')
    const timeoutMs = this.get('network.requestTimeoutMs')
    return {
      ...(proxy ? { proxy } : {}),
      ...(noProxy ? { noProxy } : {}),
      ...(caFile ? { caFile } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    }
  }
}

/** Read settings through a short-lived connection (before an engine is built from them). */
export function withSettings<T>(dataDir: string, fn: (settings: Settings) => T): T {
  const db = openDatabase(dataDir)
  try {
    return fn(new Settings(db))
  } finally {
    db.close()
  }
}

/**
 * Several settings read at once into an object, `{field: key}`: an unset setting is absent, and
 * one that does not read is absent too (logged, so its default applies).
 */
export function readSettings<M extends Record<string, SettingKey>>(
  settings: Pick<Settings, 'read'>,
  logger: Logger,
  keys: M,
): { [F in keyof M]?: SettingValue<M[F]> } {
  const out: Record<string, unknown> = {}
  for (const [field, key] of Object.entries(keys)) {
    const value = settings.read(key, logger)
    if (value !== undefined) out[field] = value
  }
  return out as { [F in keyof M]?: SettingValue<M[F]> }
}
