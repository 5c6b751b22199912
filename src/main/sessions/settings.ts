import type { Database } from 'better-sqlite3'
import { isAbsolute } from 'node:path'
import { z } from 'zod'
import { ContractError } from '../../shared/errors'
import { openDatabase } from './database'
import { RuleSchema } from '../policy/rules'
import { ModelRefSchema } from '../../shared/contract'
import { ProviderConfigListSchema } from '../providers/provider-config'

/**
 * Settings with a schema each, stored in SQLite (`settings` table) beside the sessions. Values are
 * validated on the way in and on the way out (a value written by hand or by a newer version that
 * no longer parses is reported, not used).
 */
const Url = z.url({ protocol: /^https?$/ })
export const SETTINGS = {
  'network.proxy': Url.describe('Proxy for every provider request (else HTTPS_PROXY / HTTP_PROXY)'),
  'network.noProxy': z.string().max(2000).describe('Hosts that bypass the proxy, comma-separated'),
  'network.caFile': z
    .string()
    .refine(isAbsolute, 'must be an absolute path')
    .describe('PEM bundle of extra certificate authorities'),
  'network.requestTimeoutMs': z
    .number()
    .int()
    .min(1000)
    .max(3_600_000)
    .describe('Per-request timeout for model calls, in ms'),
  'spend.perSessionUsd': z.number().positive().describe('Spend cap per session, USD'),
  'permissions.rules': z
    .array(RuleSchema)
    .max(500)
    .describe(
      'Your permission rules for every workspace: [{"tool","pattern","action"}], last match wins',
    ),
  'spend.perDayUsd': z.number().positive().describe('Spend cap per UTC day across sessions, USD'),
  providers: ProviderConfigListSchema.describe(
    'Model providers: [{"name","kind","preset","baseUrl","apiKeyEnv","models"}]; keys are kept apart (paddock providers add)',
  ),
  'models.default': ModelRefSchema.describe('The model new sessions use: "<provider>/<model>"'),
  'terminals.scrollbackLines': z
    .number()
    .int()
    .min(100)
    .max(100_000)
    .describe('Lines of scrollback each terminal keeps (and saves for the agent terminal)'),
  'terminals.shell': z
    .string()
    .trim()
    .min(1)
    .max(4096)
    .describe(
      'The shell terminals run (a path or a name on PATH); default: $SHELL, else bash, else sh',
    ),
  'agent.passEnv': z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name (letters, digits, _)')
        .max(256)
        .refine((name) => !/^PADDOCK_/i.test(name), 'PADDOCK_* variables never reach the agent'),
    )
    .max(100)
    .describe(
      'Variables the agent\'s commands get although their names look like secrets, e.g. ["GH_TOKEN"]; never a model key',
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
