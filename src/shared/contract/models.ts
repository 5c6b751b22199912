import { z } from 'zod'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Models: the models a session can run with (from the catalog, the configured providers and local
// servers), and the default one.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A model as the user picks it: `<provider name>/<model>`. The provider name has no `/`, so the
 * model part may (`openrouter/moonshotai/kimi-k2`, `ollama/qwen3:8b`).
 */
export const ModelRefSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^[a-z0-9][a-z0-9._-]*\/.+$/, 'a model is named "<provider>/<model>"')

export const ModelChoiceSchema = z.object({
  ref: z.string(),
  provider: z.string(),
  /** The model's name for the provider (a canonical id or the provider's own name). */
  model: z.string(),
  label: z.string(),
  source: z.enum(['catalog', 'provider', 'local', 'env']),
  contextWindow: z.number().int().positive().nullable(),
})
export type ModelChoice = z.infer<typeof ModelChoiceSchema>

/**
 * One kind of repair a model needed: where the broken part was (`stream`: the provider's stream,
 * `arguments`: a tool call's name or arguments), the repair's kind (`lenient_json`, `tool_name`,
 * `missing_index`, …), how many times it was recorded, and the latest one's detail as an example.
 */
export const QuirkCountSchema = z.object({
  source: z.enum(['stream', 'arguments']),
  kind: z.string(),
  count: z.number().int().positive(),
  /** The latest repair's detail, e.g. `arguments not strict JSON (trailing commas) → parsed leniently`. */
  example: z.string(),
  /** When it was last recorded, in ms since the epoch. */
  lastAt: z.number().int(),
})
export type QuirkCount = z.infer<typeof QuirkCountSchema>

/** What the session logs say of one model's answers and the repairs they needed. */
export const ModelQuirksSchema = z.object({
  /** The canonical model id the answers were recorded with. */
  model: z.string(),
  /** Answers recorded from it (assistant messages; those cut off by a stop are not counted). */
  answers: z.number().int().nonnegative(),
  /** Tool calls in those answers, as recorded. */
  toolCalls: z.number().int().nonnegative(),
  /** Repairs recorded (each note of a `repair` entry is one). */
  repairs: z.number().int().nonnegative(),
  /** Tool calls that needed at least one repair. */
  repairedCalls: z.number().int().nonnegative(),
  /** By kind, most frequent first. */
  kinds: z.array(QuirkCountSchema),
})
export type ModelQuirks = z.infer<typeof ModelQuirksSchema>

export const modelsMethods = {
  'models.list': {
    input: z.object({}).strict(),
    output: z.object({
      models: z.array(ModelChoiceSchema),
      defaultModel: z.string().nullable(),
      /**
       * True when no default was chosen and `defaultModel` is the one model there is, used by
       * default (it stays the default once more models come).
       */
      defaultIsOnlyModel: z.boolean(),
    }),
  },
  'models.setDefault': {
    input: z.object({ ref: ModelRefSchema }).strict(),
    output: z.object({ defaultModel: z.string() }),
  },
  /**
   * The repairs each model needed, counted from every session's log (all branches), so a user
   * sees which model needs which repair. Models by repairs, most first; every model with a
   * recorded answer is listed. `model` keeps only that canonical model id.
   */
  'models.quirks': {
    input: z.object({ model: z.string().min(1).max(300).optional() }).strict(),
    output: z.object({ models: z.array(ModelQuirksSchema) }),
  },
} as const
