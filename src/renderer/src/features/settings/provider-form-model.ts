import type { z } from 'zod'
import type { MethodInput, ProviderKindSchema, ProviderView } from '../../../../shared/contract'
import { contract } from '../../../../shared/contract'
import { ANTHROPIC_PRESET, findPreset, HOSTED_PRESETS } from './presets'

/**
 * The Add / Edit provider form as data: what the user typed (never the key — that stays in the
 * password field until the moment it is sent), the Type choices and how they prefill, and the
 * checks that turn the form into a `providers.save` or `providers.test` request.
 */

export type ProviderKind = z.infer<typeof ProviderKindSchema>
export type SaveParams = MethodInput<'providers.save'>
export type TestParams = MethodInput<'providers.test'>

/** The Type select: a custom OpenAI-compatible endpoint, Anthropic, or a hosted preset's id. */
export const CUSTOM_TYPE = 'custom'
export const ANTHROPIC_TYPE = 'anthropic'

export interface TypeOption {
  value: string
  label: string
}

export const BASE_TYPE_OPTIONS: readonly TypeOption[] = [
  { value: CUSTOM_TYPE, label: 'OpenAI-compatible endpoint' },
  { value: ANTHROPIC_TYPE, label: 'Anthropic' },
]

export const PRESET_TYPE_OPTIONS: readonly TypeOption[] = HOSTED_PRESETS.map((p) => ({
  value: p.id,
  label: p.label,
}))

export interface ProviderForm {
  type: string
  name: string
  baseUrl: string
  /** The environment variable to read the key from; empty: none. */
  apiKeyEnv: string
  /** Remove the stored key on save (edit only). */
  clearKey: boolean
  /** The models offered: fetched in this form or the provider's saved ones; null: none known. */
  models: string[] | null
  /** The models the user keeps (a subset of `models`). */
  selected: string[]
}

export type FormMode =
  { kind: 'add'; existingNames: readonly string[] } | { kind: 'edit'; provider: ProviderView }

export type FieldName = 'name' | 'baseUrl' | 'apiKey' | 'apiKeyEnv'
export type FieldErrors = Partial<Record<FieldName, string>>

export type Checked<T> = { ok: true; params: T } | { ok: false; errors: FieldErrors }

export function emptyForm(): ProviderForm {
  return {
    type: CUSTOM_TYPE,
    name: '',
    baseUrl: '',
    apiKeyEnv: '',
    clearKey: false,
    models: null,
    selected: [],
  }
}

/** The form for editing a saved provider: its values, its models all kept, no key. */
export function formFromProvider(p: ProviderView): ProviderForm {
  const preset = findPreset(p.preset)
  const type =
    p.kind === 'anthropic'
      ? ANTHROPIC_TYPE
      : preset && HOSTED_PRESETS.includes(preset)
        ? preset.id
        : CUSTOM_TYPE
  return {
    type,
    name: p.name,
    baseUrl: p.baseUrl,
    apiKeyEnv: p.key.env ?? '',
    clearKey: false,
    models: [...p.models],
    selected: [...p.models],
  }
}

export function kindOfType(type: string): ProviderKind {
  return type === ANTHROPIC_TYPE ? 'anthropic' : 'openai'
}

/** What a Type prefills: the name to suggest, the address, the usual key variable. */
export function typeDefaults(type: string): {
  name: string
  baseUrl: string
  keyEnv: string | null
} {
  if (type === ANTHROPIC_TYPE) {
    return { name: 'anthropic', baseUrl: ANTHROPIC_PRESET.baseUrl, keyEnv: ANTHROPIC_PRESET.keyEnv }
  }
  const preset = HOSTED_PRESETS.find((p) => p.id === type)
  return preset
    ? { name: preset.id, baseUrl: preset.baseUrl, keyEnv: preset.keyEnv }
    : { name: '', baseUrl: '', keyEnv: null }
}

/**
 * Switch the Type. The name and address follow the new type unless the user wrote their own (a
 * field still holding the old type's suggestion, or empty, is the form's to change). Models fetched
 * from the old address no longer apply.
 */
export function applyType(
  form: ProviderForm,
  type: string,
  opts: { keepName?: boolean } = {},
): ProviderForm {
  if (type === form.type) return form
  const before = typeDefaults(form.type)
  const after = typeDefaults(type)
  const untouched = (value: string, suggested: string): boolean =>
    value.trim() === '' || value.trim() === suggested
  const baseUrlChanges = untouched(form.baseUrl, before.baseUrl)
  return {
    ...form,
    type,
    name: !opts.keepName && untouched(form.name, before.name) ? after.name : form.name,
    baseUrl: baseUrlChanges ? after.baseUrl : form.baseUrl,
    ...(baseUrlChanges ? { models: null, selected: [] } : {}),
  }
}

/** The engine's preset id for a Type; none for a custom endpoint. */
export function presetOfType(type: string): string | undefined {
  if (type === ANTHROPIC_TYPE) return 'anthropic'
  return HOSTED_PRESETS.some((p) => p.id === type) ? type : undefined
}

const URL_MESSAGE = 'Enter an http:// or https:// address, such as https://api.example.com/v1.'

/** Check the form and build the `providers.save` request. `apiKey` is the key field's text. */
export function checkSave(form: ProviderForm, mode: FormMode, apiKey: string): Checked<SaveParams> {
  const kind = kindOfType(form.type)
  const key = apiKey.trim()
  const env = form.apiKeyEnv.trim()
  const baseUrl = form.baseUrl.trim()
  const preset =
    mode.kind === 'edit' ? (mode.provider.preset ?? undefined) : presetOfType(form.type)
  const params: SaveParams = {
    name: mode.kind === 'edit' ? mode.provider.name : form.name.trim(),
    kind,
    ...(preset ? { preset } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...(key ? { apiKey: key } : {}),
    ...(form.clearKey && !key ? { clearKey: true } : {}),
    ...(env ? { apiKeyEnv: env } : mode.kind === 'edit' ? { apiKeyEnv: null } : {}),
    ...(form.models !== null
      ? { models: form.models.filter((m) => form.selected.includes(m)) }
      : {}),
  }
  const errors = schemaErrors(contract['providers.save'].input, params)
  if (kind === 'openai' && !baseUrl)
    errors.baseUrl = 'An OpenAI-compatible endpoint needs its base URL.'
  if (mode.kind === 'add' && !errors.name && mode.existingNames.includes(params.name)) {
    errors.name = `A provider named “${params.name}” exists already: edit it, or choose another name.`
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, params }
}

/**
 * Build the `providers.test` request for what the form holds: the typed key, else (editing) the
 * saved provider's stored key, else no key (a local server needs none).
 */
export function checkTest(form: ProviderForm, mode: FormMode, apiKey: string): Checked<TestParams> {
  const kind = kindOfType(form.type)
  const key = apiKey.trim()
  const baseUrl = form.baseUrl.trim()
  const storedKeyOf =
    mode.kind === 'edit' && !form.clearKey && mode.provider.key.source !== 'none'
      ? mode.provider.name
      : undefined
  const params: TestParams = {
    kind,
    ...(baseUrl ? { baseUrl } : {}),
    ...(key ? { apiKey: key } : storedKeyOf ? { keyFrom: storedKeyOf } : {}),
  }
  const errors = schemaErrors(contract['providers.test'].input, params)
  if (kind === 'openai' && !baseUrl)
    errors.baseUrl = 'An OpenAI-compatible endpoint needs its base URL.'
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, params }
}

/** The checks' messages per field, from the contract's own schema (one source of truth). */
function schemaErrors(schema: z.ZodType, params: object): FieldErrors {
  const result = schema.safeParse(params)
  if (result.success) return {}
  const errors: FieldErrors = {}
  // A union reports its branches' issues nested; flatten them to field issues.
  const issues = result.error.issues.flatMap((i) =>
    i.code === 'invalid_union' ? i.errors.flat() : [i],
  )
  for (const issue of issues) {
    const field = issue.path[0]
    if (!isField(field) || errors[field]) continue
    errors[field] = field === 'baseUrl' ? URL_MESSAGE : sentence(issue.message)
  }
  return errors
}

function isField(v: unknown): v is FieldName {
  return v === 'name' || v === 'baseUrl' || v === 'apiKey' || v === 'apiKeyEnv'
}

function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(s) ? s : `${s}.`
}

/**
 * Take the models a test or fetch returned: those the user had kept stay kept, and when nothing was
 * kept yet, all of them are (a fresh provider offers everything its endpoint lists).
 */
export function withFetchedModels(form: ProviderForm, models: readonly string[]): ProviderForm {
  const unique = [...new Set(models)]
  const kept = form.selected.filter((m) => unique.includes(m))
  return { ...form, models: unique, selected: kept.length > 0 ? kept : unique }
}

/** Add a model the endpoint does not list (or lists under another name), kept. */
export function withExtraModel(form: ProviderForm, model: string): ProviderForm {
  const m = model.trim()
  if (!m) return form
  const models = form.models ?? []
  return {
    ...form,
    models: models.includes(m) ? models : [...models, m],
    selected: form.selected.includes(m) ? form.selected : [...form.selected, m],
  }
}
