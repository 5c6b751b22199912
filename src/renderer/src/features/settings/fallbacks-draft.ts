import { EDITABLE_SETTINGS } from '../../../../shared/contract'

/** `models.fallbacks` as stored: each model's fallbacks, in the order they are tried. */
export type FallbackChains = Record<string, string[]>

/** One fallback being edited; `ref` is empty until one is picked. */
export interface DraftFallback {
  id: number
  ref: string
}

/** One model's chain being edited; `model` is empty until one is picked. */
export interface DraftChain {
  id: number
  model: string
  fallbacks: DraftFallback[]
}

/** Why a chain cannot be saved: under its model picker, under one fallback, or under the chain. */
export interface ChainErrors {
  model?: string
  /** By the fallback's draft id. */
  fallbacks?: Record<number, string>
  chain?: string
}

let nextId = 1
/** Draft ids only tell rows apart (keys, focus): unique within the page. */
function newId(): number {
  return nextId++
}

export function emptyChain(): DraftChain {
  return { id: newId(), model: '', fallbacks: [emptyFallback()] }
}

export function emptyFallback(): DraftFallback {
  return { id: newId(), ref: '' }
}

/** The stored chains as rows to edit, in their stored order. */
export function draftOf(chains: FallbackChains): DraftChain[] {
  return Object.entries(chains).map(([model, refs]) => ({
    id: newId(),
    model,
    fallbacks: refs.map((ref) => ({ id: newId(), ref })),
  }))
}

/** The draft as it would be stored (rows not filled in yet included, so they count as changes). */
export function chainsOf(rows: readonly DraftChain[]): FallbackChains {
  const chains: FallbackChains = {}
  for (const row of rows) chains[row.model] = row.fallbacks.map((f) => f.ref)
  return chains
}

/** Whether the draft stores the same chains, in the same order, as `stored`. */
export function sameChains(rows: readonly DraftChain[], stored: FallbackChains): boolean {
  const a = rows.map((r) => [r.model, r.fallbacks.map((f) => f.ref)])
  return JSON.stringify(a) === JSON.stringify(Object.entries(stored))
}

/** The list with the item at `index` moved by `delta` places (within bounds). */
export function moved<T>(items: readonly T[], index: number, delta: number): T[] {
  const to = index + delta
  if (to < 0 || to >= items.length) return [...items]
  const next = [...items]
  const [item] = next.splice(index, 1)
  next.splice(to, 0, item!)
  return next
}

/**
 * What is wrong with one chain, before anything is sent: a model or a fallback not picked, no
 * fallback at all, and then whatever the contract's own schema says of it (a fallback named twice,
 * the model as its own fallback), shown under the fallback it is about.
 */
export function chainErrors(row: DraftChain): ChainErrors {
  const errors: ChainErrors = {}
  if (row.model === '') errors.model = 'choose a model'
  const fallbacks: Record<number, string> = {}
  for (const f of row.fallbacks)
    if (f.ref === '') fallbacks[f.id] = 'choose a fallback, or remove it'
  if (row.fallbacks.length === 0) errors.chain = 'add a fallback, or remove this model'
  if (errors.model === undefined && Object.keys(fallbacks).length === 0 && !errors.chain) {
    const refs = row.fallbacks.map((f) => f.ref)
    const parsed = EDITABLE_SETTINGS['models.fallbacks'].safeParse({ [row.model]: refs })
    const issue = parsed.success ? null : parsed.error.issues[0]
    if (issue) {
      // The record's own refinement (path []) is about the model itself; the list's, about a
      // fallback named again: each is shown under the fallback it is about.
      const at =
        issue.path.length === 0
          ? refs.indexOf(row.model)
          : refs.findIndex((ref, i) => refs.indexOf(ref) !== i)
      if (at >= 0) fallbacks[row.fallbacks[at]!.id] = issue.message
      else errors.chain = issue.message
    }
  }
  if (Object.keys(fallbacks).length > 0) errors.fallbacks = fallbacks
  return errors
}

/** Whether `chainErrors` found anything. */
export function hasErrors(errors: ChainErrors): boolean {
  return errors.model !== undefined || errors.chain !== undefined || errors.fallbacks !== undefined
}
