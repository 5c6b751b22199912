import { z } from 'zod'
import { ProviderKindSchema, ProviderNameSchema } from '../../shared/contract'
import { ProviderIdSchema } from './catalog'

/**
 * A provider the user configured, as stored in the `providers` setting. Never its key: keys live
 * in the SecretStore under {@link secretName}, or in the environment variable `apiKeyEnv` names.
 */
export const ProviderConfigSchema = z.strictObject({
  name: ProviderNameSchema,
  /** The wire API it speaks. */
  kind: ProviderKindSchema,
  /** The catalog provider it is (prices, model names); absent: a plain endpoint of its kind. */
  preset: ProviderIdSchema.optional(),
  baseUrl: z.url({ protocol: /^https?$/ }).max(2000),
  /** A variable whose value, when set, is used instead of the stored key. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not an environment variable name')
    .max(128)
    .optional(),
  /** The models offered for it (the user's list, or what its /models answered). */
  models: z.array(z.string().trim().min(1).max(300)).max(2000),
})

export type ProviderConfig = z.infer<typeof ProviderConfigSchema>

/** The provider name of the host's own model (PADDOCK_BASE_URL…); users cannot take it. */
export const HOST_PROVIDER = 'env'

export const ProviderConfigListSchema = z
  .array(ProviderConfigSchema)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((p, i) => {
      if (p.name === HOST_PROVIDER) {
        ctx.addIssue({ code: 'custom', message: `"${HOST_PROVIDER}" is reserved`, path: [i] })
      }
      if (seen.has(p.name)) {
        ctx.addIssue({ code: 'custom', message: `two providers named "${p.name}"`, path: [i] })
      }
      seen.add(p.name)
    })
  })

/** The SecretStore entry that holds a provider's key. */
export function secretName(provider: string): string {
  return `provider:${provider}`
}

/** `<provider>/<model>` split at the first `/` (model names may contain more). */
export function splitRef(ref: string): { provider: string; model: string } {
  const i = ref.indexOf('/')
  return i < 0
    ? { provider: ref, model: '' }
    : { provider: ref.slice(0, i), model: ref.slice(i + 1) }
}
