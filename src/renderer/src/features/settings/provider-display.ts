import type { ProviderView } from '../../../../shared/contract'
import type { ProviderKind } from './provider-form-model'
import { findPreset } from './presets'

/** How a configured provider reads in the list. Pure, so its wording is tested. */

export function kindLabel(kind: ProviderKind): string {
  return kind === 'anthropic' ? 'Anthropic' : 'OpenAI-compatible'
}

/** "Key stored ••••a1b2", "Key from $VAR", "No key": where the provider's key comes from. */
export function keyStateLabel(key: ProviderView['key']): string {
  switch (key.source) {
    case 'stored': {
      const tail = lastChars(key.hint)
      return tail ? `Key stored ••••${tail}` : 'Key stored'
    }
    case 'env':
      return key.env ? `Key from $${key.env}` : 'Key from the environment'
    case 'none':
      return key.env ? `No key ($${key.env} is not set)` : 'No key'
  }
}

/** The preset's label ("OpenRouter"), when the provider was made from one. */
export function presetLabel(preset: string | null): string | null {
  return findPreset(preset)?.label ?? null
}

/** The visible end of a masked hint such as `sk-…a1b2`: at most its last 4 characters. */
function lastChars(hint: string | null): string {
  if (!hint) return ''
  const visible = hint.replace(/^.*[…*•]/u, '').replace(/^.*\.\.\./u, '')
  return visible.slice(-4)
}

/** A free provider name for a detected local server: `ollama`, else `ollama-2`, `ollama-3`… */
export function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base
  for (let i = 2; ; i++) {
    const name = `${base}-${i}`
    if (!taken.includes(name)) return name
  }
}

export function modelCountLabel(n: number): string {
  return n === 0 ? 'no models' : n === 1 ? '1 model' : `${n} models`
}
