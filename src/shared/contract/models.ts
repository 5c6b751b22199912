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
} as const
