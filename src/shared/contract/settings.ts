import { z } from 'zod'
import { ModelRefSchema } from './models'
import { MAX_USER_RULES, RuleSchema } from './policy'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Settings: the stored settings a client edits itself — permission rules, spend caps, network and
// terminals. They are the same rows `paddock settings` reads and writes, validated by the same
// schemas (the engine's `SETTINGS` table takes these). Providers and the default model have their
// own methods (`providers.*`, `models.setDefault`).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** An absolute path on any platform: `/…`, `C:\…` or `\\server\…`. */
function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')
}

const Url = z
  .url({
    protocol: /^https?$/,
    error: 'must be an http:// or https:// address, e.g. http://proxy.example:3128',
  })
  .max(2048)

/** Most fallback models a model may have (`models.fallbacks`, `paddock run --fallback-model`). */
export const MAX_FALLBACKS = 3
/** How long a session stays on a fallback before it tries its own model again, by default. */
export const DEFAULT_FALLBACK_COOLDOWN_MINUTES = 30

/** The schema of each setting a client may edit, by key. */
export const EDITABLE_SETTINGS = {
  'network.proxy': Url.describe('Proxy for every provider request (else HTTPS_PROXY / HTTP_PROXY)'),
  'network.noProxy': z.string().max(2000).describe('Hosts that bypass the proxy, comma-separated'),
  'network.caFile': z
    .string()
    .max(4096)
    .refine(isAbsolutePath, 'must be an absolute path')
    .describe('PEM bundle of extra certificate authorities'),
  'network.requestTimeoutMs': z
    .number()
    .int('must be a whole number of ms')
    .min(1000, 'must be at least 1000 ms (one second)')
    .max(3_600_000, 'must be at most 3600000 ms (one hour)')
    .describe('Per-request timeout for model calls, in ms'),
  'spend.perSessionUsd': z
    .number()
    .positive('must be more than 0')
    .describe('Spend cap per session, USD'),
  'permissions.rules': z
    .array(RuleSchema)
    .max(MAX_USER_RULES, `at most ${MAX_USER_RULES} rules`)
    .describe(
      'Your permission rules for every workspace: [{"tool","pattern","action"}], last match wins',
    ),
  'spend.perDayUsd': z
    .number()
    .positive('must be more than 0')
    .describe('Spend cap per UTC day across sessions, USD'),
  'terminals.scrollbackLines': z
    .number()
    .int('must be a whole number of lines')
    .min(100, 'must be at least 100 lines')
    .max(100_000, 'must be at most 100000 lines')
    .describe('Lines of scrollback each terminal keeps (and saves for the agent terminal)'),
  'terminals.shell': z
    .string()
    .trim()
    .min(1, 'name a shell, or leave it empty for the default')
    .max(4096)
    .describe(
      'The shell terminals run (a path or a name on PATH); default: $SHELL, else bash, else sh',
    ),
  'sandbox.mode': z
    .enum(['off', 'workspace-write'])
    .describe(
      "Confine the agent's shell: workspace-write (writes only to the session's folder, default where the sandbox works) or off",
    ),
  'sandbox.network': z
    .enum(['off', 'on'])
    .describe("Whether the agent's sandboxed shell may use the network (default off)"),
  'agent.passEnv': z
    .array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name (letters, digits, _)')
        .max(256)
        .refine((name) => !/^PADDOCK_/i.test(name), 'PADDOCK_* variables never reach the agent'),
    )
    .max(100, 'at most 100 variables')
    .describe(
      'Variables the agent\'s commands get although their names look like secrets, e.g. ["GH_TOKEN"]; never a model key',
    ),
  'context.autoCompact': z
    .boolean()
    .describe(
      'Compact (summarise) a session before a request that would not fit the window (default true); an overflow is always compacted once',
    ),
  'context.reserveTokens': z
    .number()
    .int('must be a whole number of tokens')
    .min(256, 'must be at least 256 tokens')
    .max(200_000, 'must be at most 200000 tokens')
    .describe(
      "Tokens kept free for the model's reply, instead of the window's share (default: an eighth of the window, 2,048 to 20,000)",
    ),
  'context.keepRecentTokens': z
    .number()
    .int('must be a whole number of tokens')
    .min(256, 'must be at least 256 tokens')
    .max(1_000_000, 'must be at most 1000000 tokens')
    .describe(
      'Tokens of the newest conversation a compaction keeps word for word (default: 30 % of the threshold, at most 20,000)',
    ),
  'loops.identicalCalls': z
    .boolean()
    .describe(
      'Ask when the agent makes the same tool call three times in a row with the same result (default true)',
    ),
  'loops.failingCommand': z
    .boolean()
    .describe(
      'Tell the agent, then ask you, when the same command fails with the same output three times in its last 10 calls (default true)',
    ),
  'loops.repeatedText': z
    .boolean()
    .describe(
      'Tell the agent, then ask you, when the same paragraph is in three answers in a row (default true)',
    ),
  'models.fallbacks': z
    .record(
      ModelRefSchema,
      z
        .array(ModelRefSchema)
        .max(MAX_FALLBACKS, `at most ${MAX_FALLBACKS} fallbacks per model`)
        .refine((refs) => new Set(refs).size === refs.length, 'a fallback is named twice'),
    )
    .refine(
      (chains) => Object.entries(chains).every(([model, refs]) => !refs.includes(model)),
      'a model cannot be its own fallback',
    )
    .describe(
      'Fallback models per model, tried in order when it is out of quota, overloaded or not found: {"<provider>/<model>": ["<provider>/<model>", …]} (at most 3 each)',
    ),
  'models.fallbackCooldownMinutes': z
    .number()
    .min(0, 'must be 0 or more minutes')
    .max(10_080, 'must be at most 10080 minutes (a week)')
    .describe(
      `Minutes a session stays on a fallback before it tries its own model again (default ${DEFAULT_FALLBACK_COOLDOWN_MINUTES})`,
    ),
  'worktrees.dir': z
    .string()
    .trim()
    .min(1, 'name a folder, or leave it empty for the default')
    .max(4096)
    .refine(
      (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('~'),
      'must be an absolute path',
    )
    .describe(
      'The folder new session worktrees go in (outside the repository); default: <repo parent>/<repo>.worktrees',
    ),
  'notifications.approvalInput': z
    .boolean()
    .describe(
      'Notify when a session you are not looking at waits for your approval or input (default true)',
    ),
  'notifications.finished': z
    .boolean()
    .describe('Notify when a session you are not looking at finishes (default true)'),
  'notifications.failed': z
    .boolean()
    .describe('Notify when a session you are not looking at fails (default true)'),
  'notifications.sound': z
    .boolean()
    .describe('Play a short tone with a batch of notifications (default false)'),
  'appearance.theme': z
    .enum(['system', 'light', 'dark'])
    .describe('Light or dark, or follow the system (default system)'),
  'firstRun.skipped': z
    .boolean()
    .describe(
      'The guided first run was skipped: the main area no longer offers it while no model is set up (default false)',
    ),
} as const

export type EditableSettingKey = keyof typeof EDITABLE_SETTINGS
export const EDITABLE_SETTING_KEYS = Object.keys(EDITABLE_SETTINGS) as [
  EditableSettingKey,
  ...EditableSettingKey[],
]
export const EditableSettingKeySchema = z.enum(EDITABLE_SETTING_KEYS)

type SettingsShape = { [K in EditableSettingKey]: z.ZodOptional<(typeof EDITABLE_SETTINGS)[K]> }
const valuesShape = Object.fromEntries(
  EDITABLE_SETTING_KEYS.map((key) => [key, EDITABLE_SETTINGS[key].optional()]),
) as SettingsShape

/** The editable settings' stored values; a key that is unset (the default applies) is absent. */
export const SettingsValuesSchema = z.object(valuesShape)
export type SettingsValues = z.infer<typeof SettingsValuesSchema>

export const SettingsReadSchema = z.object({
  values: SettingsValuesSchema,
  /** Stored values that no longer parse, by key: the default applies until one is set again. */
  problems: z.partialRecord(EditableSettingKeySchema, z.string()),
})
export type SettingsRead = z.infer<typeof SettingsReadSchema>

/** One `{key, value}` pair per editable setting, each value checked by its own schema. */
const SetSettingSchema = z.discriminatedUnion(
  'key',
  EDITABLE_SETTING_KEYS.map((key) =>
    z.object({ key: z.literal(key), value: EDITABLE_SETTINGS[key] }).strict(),
  ) as unknown as [
    z.ZodObject<{ key: z.ZodLiteral<EditableSettingKey>; value: z.ZodType }>,
    ...Array<z.ZodObject<{ key: z.ZodLiteral<EditableSettingKey>; value: z.ZodType }>>,
  ],
)

export const settingsMethods = {
  /**
   * The editable settings as stored. A stored value that no longer parses (written by hand or by a
   * newer version) is left out of `values` and reported in `problems`.
   */
  'settings.get': {
    input: z.object({}).strict(),
    output: SettingsReadSchema,
  },
  /**
   * Store one setting and answer with every value, as `settings.get` does. An invalid value is
   * refused (`invalid_params`, naming the key and the problem) and nothing is stored.
   */
  'settings.set': {
    input: SetSettingSchema,
    output: SettingsReadSchema,
  },
  /** Forget one setting (its default applies again) and answer with every value. */
  'settings.unset': {
    input: z.object({ key: EditableSettingKeySchema }).strict(),
    output: SettingsReadSchema,
  },
} as const
