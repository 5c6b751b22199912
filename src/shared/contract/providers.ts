import { z } from 'zod'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Providers: the model endpoints the user configured (OpenAI-compatible or Anthropic), their keys
// (write-only: clients only learn where a key comes from), connection tests and local servers.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A provider's name as the user gave it: lower-case letters, digits, `-`, `_`, `.`. */
export const ProviderNameSchema = z
  .string()
  .trim()
  .min(1, 'the provider needs a name')
  .max(40)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" and "-" only')

export const ProviderKindSchema = z.enum(['openai', 'anthropic'])

/** A configured provider as clients see it: never its key, only where the key comes from. */
export const ProviderViewSchema = z.object({
  name: z.string(),
  kind: ProviderKindSchema,
  /** Catalog provider this endpoint is (`openrouter`, `ollama`…), for prices and model names. */
  preset: z.string().nullable(),
  baseUrl: z.string(),
  key: z.object({
    /** `stored`: in the SecretStore; `env`: read from a variable; `none`: no key. */
    source: z.enum(['stored', 'env', 'none']),
    /** A masked hint such as `sk-…a1b2`; null when there is no key. */
    hint: z.string().nullable(),
    /** The variable a key is read from (it wins over a stored key when set). */
    env: z.string().nullable(),
  }),
  /** Models offered for this provider (fetched from it or given by the user). */
  models: z.array(z.string()),
  /** Configured by the host's environment (PADDOCK_BASE_URL), not editable here. */
  readOnly: z.boolean(),
})
export type ProviderView = z.infer<typeof ProviderViewSchema>

export const ConnectionVerdictSchema = z.enum(['ok', 'bad_key', 'unreachable', 'not_compatible'])

const SecretInputSchema = z.string().trim().min(1, 'the key is empty').max(4096)
const EnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')
  .max(128)

export const providersMethods = {
  'providers.list': {
    input: z.object({}).strict(),
    output: z.object({
      providers: z.array(ProviderViewSchema),
      defaultModel: z.string().nullable(),
    }),
  },
  'providers.save': {
    input: z
      .object({
        name: ProviderNameSchema,
        kind: ProviderKindSchema,
        preset: z.string().max(40).optional(),
        /** Required for `openai`; defaults to Anthropic's API for `anthropic`. */
        baseUrl: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional(),
        /** Write-only: stored in the SecretStore, never returned. Absent: keep the stored key. */
        apiKey: SecretInputSchema.optional(),
        /** Remove the stored key (a local server needs none). */
        clearKey: z.boolean().optional(),
        apiKeyEnv: EnvNameSchema.nullable().optional(),
        models: z.array(z.string().trim().min(1).max(300)).max(2000).optional(),
      })
      .strict(),
    output: ProviderViewSchema,
  },
  'providers.remove': {
    input: z.object({ name: ProviderNameSchema }).strict(),
    output: z.object({ name: z.string() }),
  },
  'providers.test': {
    input: z.union([
      z.object({ name: ProviderNameSchema }).strict(),
      z
        .object({
          kind: ProviderKindSchema,
          baseUrl: z
            .url({ protocol: /^https?$/ })
            .max(2000)
            .optional(),
          apiKey: SecretInputSchema.optional(),
          /** Test with a saved provider's stored key (the form left the key field empty). */
          keyFrom: ProviderNameSchema.optional(),
        })
        .strict(),
    ]),
    output: z.object({
      verdict: ConnectionVerdictSchema,
      /** One line a person can act on. */
      message: z.string(),
      /** The models the endpoint lists (empty when it lists none or the test failed). */
      models: z.array(z.string()),
    }),
  },
  'providers.detectLocal': {
    input: z.object({}).strict(),
    output: z.array(
      z.object({ kind: z.string(), baseUrl: z.string(), models: z.array(z.string()) }),
    ),
  },
} as const
