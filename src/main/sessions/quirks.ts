import type { ModelQuirks, QuirkCount } from '../../shared/contract/models'
import { RepairPayload } from '../../shared/entries'
import type { Handlers } from '../host/dispatcher'
import type { RepairLogRow } from './entry-queries'
import type { Store } from './store'

/**
 * The quirks report: the repairs each model needed, counted from the session logs. Open models
 * differ in what they get wrong (Kimi's ids as names, Qwen's trailing commas, a gateway's
 * argument deltas); this is how a user sees which model needs which repair, and how often
 * compared with the calls it made.
 */

/** The model of a repair recorded before any answer in its session (an imported or odd log). */
export const UNKNOWN_MODEL = '(unknown)'

interface Tally {
  answers: number
  toolCalls: number
  repairs: number
  repairedCalls: Set<string>
  kinds: Map<string, QuirkCount>
}

/** Count answers and repairs per model, from the log rows in the order they were written. */
export function tallyQuirks(rows: Iterable<RepairLogRow>, only?: string): ModelQuirks[] {
  const tallies = new Map<string, Tally>()
  const lastModel = new Map<string, string>()
  const tallyOf = (model: string): Tally => {
    let t = tallies.get(model)
    if (!t) {
      t = { answers: 0, toolCalls: 0, repairs: 0, repairedCalls: new Set(), kinds: new Map() }
      tallies.set(model, t)
    }
    return t
  }
  for (const row of rows) {
    if (row.type === 'assistant_message') {
      if (typeof row.model !== 'string') continue
      lastModel.set(row.sessionId, row.model)
      // An answer cut off by a stop is kept for the record only: it made no calls that ran.
      if (row.partial === 1 || row.partial === true) continue
      if (only !== undefined && row.model !== only) continue
      const t = tallyOf(row.model)
      t.answers += 1
      t.toolCalls += typeof row.toolCalls === 'number' ? row.toolCalls : 0
      continue
    }
    const model = lastModel.get(row.sessionId) ?? UNKNOWN_MODEL
    if (only !== undefined && model !== only) continue
    let payload: unknown
    try {
      payload = JSON.parse(row.payload)
    } catch {
      continue
    }
    // Read back from disk: a payload that does not read is not counted.
    const repair = RepairPayload.safeParse(payload)
    if (!repair.success || repair.data.notes.length === 0) continue
    const t = tallyOf(model)
    const { source, toolCallId, notes } = repair.data
    if (toolCallId) t.repairedCalls.add(`${row.sessionId}\n${toolCallId}`)
    for (const note of notes) {
      t.repairs += 1
      const key = `${source}\n${note.kind}`
      const k = t.kinds.get(key)
      if (k) {
        k.count += 1
        k.example = note.detail
        k.lastAt = row.createdAt
      } else {
        t.kinds.set(key, {
          source,
          kind: note.kind,
          count: 1,
          example: note.detail,
          lastAt: row.createdAt,
        })
      }
    }
  }
  return [...tallies.entries()]
    .map(([model, t]) => ({
      model,
      answers: t.answers,
      toolCalls: t.toolCalls,
      repairs: t.repairs,
      repairedCalls: t.repairedCalls.size,
      kinds: [...t.kinds.values()].sort(
        (a, b) =>
          b.count - a.count || a.source.localeCompare(b.source) || a.kind.localeCompare(b.kind),
      ),
    }))
    .sort((a, b) => b.repairs - a.repairs || a.model.localeCompare(b.model))
}

/** `models.quirks`: read from the session logs (the models' own domain knows no logs). */
export function quirksHandlers(deps: { store: Store }): Pick<Handlers, 'models.quirks'> {
  return {
    'models.quirks': ({ model }) => ({ models: tallyQuirks(deps.store.repairLog(), model) }),
  }
}
