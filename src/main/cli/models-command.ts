import { detectLocalServers, DEFAULT_LOCAL_SERVERS } from '../providers/local-servers'
import type { LocalServerCandidate } from '../providers/local-servers'
import { fetchModelList, ModelListError } from '../providers/model-list'
import { loadCatalog } from '../providers/user-models'
import type { CliIo } from './cli'

export interface ModelsFlags {
  dataDir: string
  json: boolean
  baseUrl?: string
  apiKeyEnv?: string
  /** `--ollama URL` / `--lmstudio URL` addresses to probe instead of the defaults. */
  ollama?: string
  lmstudio?: string
}

export class ModelsUsageError extends Error {}

/**
 * `paddock models list|detect|fetch`: the catalog, local servers, an endpoint's model list.
 * (`models quirks` reads the session logs: `models-quirks.ts`.)
 */
export async function runModels(
  command: string | undefined,
  flags: ModelsFlags,
  io: CliIo,
): Promise<number> {
  if (command === 'list') {
    const models = loadCatalog(flags.dataDir).list()
    if (flags.json) {
      io.out(`${JSON.stringify(models, null, 2)}\n`)
      return 0
    }
    const rows = models.map((m) => [
      m.id,
      `${Math.round(m.contextWindow / 1000)}k`,
      m.pricing ? `$${m.pricing.input}/$${m.pricing.output}` : '—',
      Object.entries(m.providers)
        .map(([p, name]) => `${p}:${name}`)
        .join(' '),
    ])
    table(['MODEL', 'CONTEXT', 'PRICE IN/OUT PER M', 'PROVIDER NAMES'], rows, io)
    return 0
  }
  if (command === 'detect') {
    const candidates: LocalServerCandidate[] = []
    if (flags.ollama) candidates.push({ kind: 'ollama', baseUrl: flags.ollama })
    if (flags.lmstudio) candidates.push({ kind: 'lmstudio', baseUrl: flags.lmstudio })
    const found = await detectLocalServers({
      candidates: candidates.length ? candidates : DEFAULT_LOCAL_SERVERS,
    })
    if (flags.json) {
      io.out(`${JSON.stringify(found, null, 2)}\n`)
      return 0
    }
    if (found.length === 0) {
      const where = (candidates.length ? candidates : DEFAULT_LOCAL_SERVERS)
        .map((c) => c.baseUrl)
        .join(', ')
      io.out(`No local model server answered at ${where}.\n`)
      return 0
    }
    for (const s of found) {
      io.out(
        `${s.kind} at ${s.baseUrl}: ${s.models.length ? s.models.join(', ') : '(no models pulled)'}\n`,
      )
    }
    return 0
  }
  if (command === 'fetch') {
    if (!flags.baseUrl) throw new ModelsUsageError('models fetch needs --base-url URL')
    const keyEnv = flags.apiKeyEnv
    const apiKey = keyEnv ? io.env[keyEnv] : undefined
    if (keyEnv && !apiKey)
      throw new ModelsUsageError(`the environment variable ${keyEnv} is not set`)
    try {
      const models = await fetchModelList(flags.baseUrl, { ...(apiKey ? { apiKey } : {}) })
      if (flags.json) io.out(`${JSON.stringify(models, null, 2)}\n`)
      else
        for (const m of models)
          io.out(`${m.id}${m.contextWindow ? `  (${m.contextWindow} tokens)` : ''}\n`)
      return 0
    } catch (err) {
      if (err instanceof ModelListError) {
        io.err(`paddock: ${err.message} (${err.kind})\n`)
        return 1
      }
      throw err
    }
  }
  throw new ModelsUsageError(
    `unknown command "models ${command ?? ''}" (list, detect, fetch, quirks)`,
  )
}

function table(header: string[], rows: string[][], io: CliIo): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  io.out(`${[fmt(header), ...rows.map(fmt)].join('\n')}\n`)
}
