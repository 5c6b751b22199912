import type { Method, MethodInput, MethodOutput, ProviderView } from '../../shared/contract'
import { createFileLogger } from '../core/logger'
import type { Engine } from '../host/engine'
import { createEngine } from '../host/engine'
import { PROVIDER_PRESETS } from '../providers/presets'
import type { CliIo } from './cli'

export interface ProvidersFlags {
  dataDir: string
  json: boolean
  name?: string
  baseUrl?: string
  anthropic: boolean
  apiKeyEnv?: string
  apiKeyStdin: boolean
  preset?: string
  defaultModel?: string
}

export class ProvidersUsageError extends Error {}
class ProvidersError extends Error {}

/**
 * `paddock providers add|list|test|remove`: the same provider settings and SecretStore as the
 * app's Settings → Providers, through the engine on the same data dir. A key is read from stdin
 * (`--api-key-stdin`) or named by a variable (`--api-key-env`), never taken from the command line.
 */
export async function runProviders(
  command: string | undefined,
  args: string[],
  flags: ProvidersFlags,
  io: CliIo,
): Promise<number> {
  if (command !== 'add' && command !== 'list' && command !== 'test' && command !== 'remove') {
    throw new ProvidersUsageError(
      command
        ? `unknown command "providers ${command}" (add, list, test, remove)`
        : 'providers needs a command: add, list, test or remove',
    )
  }
  const name = command === 'test' || command === 'remove' ? args.shift() : undefined
  if (args.length) throw new ProvidersUsageError(`unexpected argument "${args[0]}"`)
  if ((command === 'test' || command === 'remove') && !name) {
    throw new ProvidersUsageError(`providers ${command} needs a provider NAME`)
  }
  // Read the key before the engine opens: a usage error must not leave a half-done command.
  const apiKey = command === 'add' ? await keyFromFlags(flags, io) : undefined

  let engine: Engine | undefined
  const call = async <M extends Method>(m: M, p: MethodInput<M>): Promise<MethodOutput<M>> => {
    engine ??= createEngine({
      dataDir: flags.dataDir,
      kind: 'cli',
      logger: createFileLogger(flags.dataDir, 'cli'),
      env: io.env,
    })
    const outcome = await engine.call(m, p, { transport: 'cli' })
    if (!outcome.ok) throw new ProvidersError(outcome.error.message)
    return outcome.result as MethodOutput<M>
  }
  try {
    if (command === 'add') return await add(flags, apiKey, call, io)
    if (command === 'list') {
      const listed = await call('providers.list', {})
      if (flags.json) io.out(`${JSON.stringify(listed, null, 2)}\n`)
      else printProviders(listed.providers, listed.defaultModel, io)
      return 0
    }
    if (command === 'test') {
      const result = await call('providers.test', { name: name! })
      if (flags.json) io.out(`${JSON.stringify(result, null, 2)}\n`)
      else {
        io.out(`${result.verdict}: ${result.message}\n`)
        if (result.models.length) io.out(`models: ${result.models.join(', ')}\n`)
      }
      return result.verdict === 'ok' ? 0 : 1
    }
    await call('providers.remove', { name: name! })
    io.out(`Removed provider "${name}" and its stored key.\n`)
    return 0
  } catch (err) {
    if (!(err instanceof ProvidersError)) throw err
    io.err(`paddock: ${err.message}\n`)
    return 1
  } finally {
    engine?.close()
  }
}

type Call = <M extends Method>(m: M, p: MethodInput<M>) => Promise<MethodOutput<M>>

async function add(
  flags: ProvidersFlags,
  apiKey: string | undefined,
  call: Call,
  io: CliIo,
): Promise<number> {
  const name = flags.name
  if (!name) throw new ProvidersUsageError('providers add needs --name NAME')
  const preset = flags.preset
    ? PROVIDER_PRESETS[flags.preset as keyof typeof PROVIDER_PRESETS]
    : null
  if (flags.preset && !preset) {
    throw new ProvidersUsageError(
      `unknown preset "${flags.preset}" (known: ${Object.keys(PROVIDER_PRESETS).join(', ')})`,
    )
  }
  const existing = (await call('providers.list', {})).providers.find(
    (p) => p.name === name && !p.readOnly,
  )
  // Updating a provider (a new key, say) keeps what is not given again.
  const kind = flags.anthropic ? 'anthropic' : (preset?.wire ?? existing?.kind ?? 'openai')
  if (!existing && kind === 'openai' && !flags.baseUrl && !preset?.baseUrl) {
    throw new ProvidersUsageError('providers add needs --base-url URL (or --anthropic)')
  }
  const models = flags.defaultModel
    ? [...new Set([...(existing?.models ?? []), flags.defaultModel])]
    : undefined
  const saved = await call('providers.save', {
    name,
    kind,
    ...(flags.preset ? { preset: flags.preset } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(flags.apiKeyEnv ? { apiKeyEnv: flags.apiKeyEnv } : {}),
    ...(models ? { models } : {}),
  })
  const defaultModel = flags.defaultModel
    ? (await call('models.setDefault', { ref: `${name}/${flags.defaultModel}` })).defaultModel
    : null
  if (flags.json) {
    io.out(`${JSON.stringify({ provider: saved, defaultModel }, null, 2)}\n`)
  } else {
    io.out(
      `${existing ? 'Updated' : 'Added'} provider "${saved.name}" (${saved.kind}, ${saved.baseUrl}); ${keyText(saved)}.\n`,
    )
    if (defaultModel) io.out(`Default model: ${defaultModel}\n`)
  }
  if (flags.apiKeyEnv && !io.env[flags.apiKeyEnv]) {
    io.err(
      `paddock: note: ${flags.apiKeyEnv} is not set here; set it where Paddock runs, or the stored key (if any) is used.\n`,
    )
  }
  return 0
}

async function keyFromFlags(flags: ProvidersFlags, io: CliIo): Promise<string | undefined> {
  if (flags.apiKeyStdin && flags.apiKeyEnv) {
    throw new ProvidersUsageError('give either --api-key-env VAR or --api-key-stdin, not both')
  }
  if (!flags.apiKeyStdin) return undefined
  const key = (await (io.readStdin ?? readProcessStdin)('API key (input hidden): ')).trim()
  if (!key) throw new ProvidersUsageError('--api-key-stdin read an empty key')
  if (/\s/.test(key)) throw new ProvidersUsageError('--api-key-stdin read more than one word')
  return key
}

/**
 * The key from standard input: piped (`… | paddock providers add --api-key-stdin`), read to the
 * end; at a terminal, one line typed without echo.
 */
function readProcessStdin(prompt: string): Promise<string> {
  const stdin = process.stdin
  if (!stdin.isTTY) {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = []
      stdin.on('data', (d: Buffer) => parts.push(d))
      stdin.once('end', () => resolve(Buffer.concat(parts).toString('utf8')))
      stdin.once('error', reject)
    })
  }
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt)
    let typed = ''
    const done = (err?: Error): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(typed)
    }
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done()
        if (ch === '\u0003') return done(new ProvidersUsageError('cancelled'))
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1)
        else typed += ch
      }
    }
    stdin.setRawMode(true)
    stdin.resume()
    stdin.on('data', onData)
  })
}

function keyText(p: ProviderView): string {
  if (p.key.source === 'env') return `key from $${p.key.env} (${p.key.hint})`
  if (p.key.source === 'stored') {
    return `key stored (${p.key.hint})${p.key.env ? `; $${p.key.env} wins when set` : ''}`
  }
  return p.key.env ? `key from $${p.key.env} (not set here)` : 'no key'
}

function printProviders(providers: ProviderView[], defaultModel: string | null, io: CliIo): void {
  if (providers.length === 0) {
    io.out('No providers. Add one: paddock providers add --name NAME --base-url URL …\n')
  } else {
    const rows = providers.map((p) => [
      p.name + (p.readOnly ? ' (host)' : ''),
      p.preset ? `${p.kind}/${p.preset}` : p.kind,
      p.baseUrl || '—',
      p.key.source === 'none' ? (p.key.env ? `$${p.key.env} (unset)` : '—') : keyText(p),
      p.models.length ? p.models.join(', ') : '—',
    ])
    const header = ['NAME', 'KIND', 'BASE URL', 'KEY', 'MODELS']
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
    const fmt = (r: string[]): string =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()
    io.out(`${[fmt(header), ...rows.map(fmt)].join('\n')}\n`)
  }
  io.out(`Default model: ${defaultModel ?? '(none)'}\n`)
}
