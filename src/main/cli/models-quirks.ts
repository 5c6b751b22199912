import type { ModelQuirks } from '../../shared/contract/models'
import type { CliCall } from './checkpoints-command'
import type { CliIo } from './cli'

export interface QuirksFlags {
  /** Only this canonical model id. */
  model?: string
  json: boolean
}

/**
 * `paddock models quirks [--model ID] [--json]`: the repairs each model needed, counted from the
 * session logs in the data folder. `--json` prints the `models.quirks` result as it is
 * (docs/cli-json.md); the text lists each model with its repairs by kind, most frequent first.
 */
export async function runModelsQuirks(
  flags: QuirksFlags,
  call: CliCall,
  io: CliIo,
): Promise<number> {
  const report = await call('models.quirks', flags.model ? { model: flags.model } : {})
  if (flags.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`)
    return 0
  }
  if (report.models.length === 0) {
    io.out(
      flags.model
        ? `No answers from ${flags.model} are recorded in this data folder.\n`
        : 'No model answers are recorded in this data folder yet.\n',
    )
    return 0
  }
  io.out(report.models.map(describeModel).join('\n'))
  return 0
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/** One model's block: a headline, then one line per kind of repair. */
export function describeModel(m: ModelQuirks): string {
  const over = `${plural(m.toolCalls, 'tool call')} in ${plural(m.answers, 'answer')}`
  if (m.repairs === 0) return `${m.model}: no repairs (${over})\n`
  const calls = m.repairedCalls ? `, ${plural(m.repairedCalls, 'call')} repaired` : ''
  const head = `${m.model}: ${plural(m.repairs, 'repair')} (${over}${calls})`
  const countWidth = Math.max(...m.kinds.map((k) => String(k.count).length))
  const kindWidth = Math.max(...m.kinds.map((k) => k.kind.length))
  const lines = m.kinds.map(
    (k) =>
      `  ${String(k.count).padStart(countWidth)}  ${k.source.padEnd(9)}  ` +
      `${k.kind.padEnd(kindWidth)}  e.g. ${k.example}`,
  )
  return `${[head, ...lines].join('\n')}\n`
}
