import type { MethodOutput } from '../../../../shared/contract'
import type { ProviderKind } from './provider-form-model'

export type TestResult = MethodOutput<'providers.test'>

/** How a connection test reads on screen: a tone for the icon, a headline, the engine's words. */
export interface VerdictView {
  tone: 'ok' | 'error' | 'warning'
  title: string
  /** The engine's one-line message, when it adds something to the headline. */
  detail: string | null
}

/**
 * The line a connection test shows. `baseUrl` is the address that was tried (for "Nothing
 * answers at …"); empty means the kind's default address.
 */
export function describeVerdict(
  result: TestResult,
  tried: { kind: ProviderKind; baseUrl: string },
): VerdictView {
  const detail = (title: string): string | null => {
    const m = result.message.trim()
    return m && m.toLowerCase() !== title.toLowerCase() ? m : null
  }
  switch (result.verdict) {
    case 'ok': {
      const title = `Connected — ${countModels(result.models.length)}`
      return { tone: 'ok', title, detail: null }
    }
    case 'bad_key': {
      const title = 'The key was rejected'
      return { tone: 'error', title, detail: detail(title) }
    }
    case 'unreachable': {
      const where = tried.baseUrl.trim() || defaultAddress(tried.kind)
      const title = `Nothing answers at ${where}`
      return { tone: 'error', title, detail: detail(title) }
    }
    case 'not_compatible': {
      const title =
        tried.kind === 'anthropic'
          ? 'This is not an Anthropic API endpoint'
          : 'This is not an OpenAI-compatible endpoint'
      return { tone: 'warning', title, detail: detail(title) }
    }
  }
}

export function countModels(n: number): string {
  if (n === 0) return 'no models listed'
  return n === 1 ? '1 model' : `${n} models`
}

function defaultAddress(kind: ProviderKind): string {
  return kind === 'anthropic' ? 'https://api.anthropic.com' : 'the base URL'
}
