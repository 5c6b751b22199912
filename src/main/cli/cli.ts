import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Method, MethodInput, MethodOutput } from '../../shared/contract'
import type { Session, Workspace } from '../../shared/model'
import { resolveDataDir } from '../core/data-dir'
import { createFileLogger } from '../core/logger'
import { APP_VERSION } from '../core/version'
import type { Engine } from '../host/engine'
import { createEngine } from '../host/engine'
import { RunUsageError, runPrompt } from './run-command'
import { ModelsUsageError, runModels } from './models-command'
import { SettingsUsageError, runSettings } from './settings-command'
import { ProvidersUsageError, runProviders } from './providers-command'
import { CheckpointsUsageError, runCheckpoints } from './checkpoints-command'
import { runRestore } from './restore-command'
import { runSessionsFork } from './sessions-fork-command'

export const USAGE = `paddock — run and inspect Paddock sessions from a terminal

Usage:
  paddock run --workspace DIR [--session ID] [--provider ID] [--base-url URL] [--model ID]
              [--api-key-env NAME] [--mode ask|auto-edit|full-auto|plan] [--max-turns N]
              [--spend-cap USD] [--daily-cap USD] [--json] "prompt"
  paddock models list [--json]                      the model catalog (+ <data-dir>/models.json)
  paddock models detect [--ollama URL] [--lmstudio URL] [--json]   local model servers
  paddock models fetch --base-url URL [--api-key-env NAME] [--json] an endpoint's /models
  paddock settings list | get KEY | set KEY VALUE | unset KEY
                    network.proxy, network.noProxy, network.caFile, network.requestTimeoutMs,
                    spend.perSessionUsd, spend.perDayUsd
  paddock providers add --name NAME (--base-url URL | --anthropic) [--preset ID]
              [--api-key-env VAR | --api-key-stdin] [--default-model MODEL] [--json]
  paddock providers list [--json]                   providers, where their keys come from (masked)
  paddock providers test NAME [--json]              list its models with its key; exit 1 unless ok
  paddock providers remove NAME                     its settings and its stored key
  paddock workspaces trust|untrust --workspace DIR   apply (or ignore) its .paddock/permissions.json
  paddock sessions list [--workspace DIR] [--json]
  paddock sessions create --workspace DIR [--title TITLE] [--json]
  paddock checkpoints list --session ID [--json]    a session's checkpoints: ids, times, files
  paddock checkpoints diff A [B] [--json]           unified diff from checkpoint A to B (default:
                                                    the working tree); ids may be shortened
  paddock restore CHECKPOINT [--files a,b] [--force] [--json]
                                                    put the files (all, or those) back as they
                                                    were at CHECKPOINT; a checkpoint is taken first.
                                                    Files changed outside Paddock since the latest
                                                    checkpoint: asks at a terminal; without one,
                                                    exits 4 unless --force
  paddock restore CHECKPOINT --conversation|--both  rewind the conversation to CHECKPOINT (a new
                                                    branch), with --both its files too
  paddock restore --undo --session ID               undo the session's last restore or rewind
  paddock sessions fork CHECKPOINT|ENTRY [--session ID] [--title T] [--json]
                                                    a new session with the history up to there
  paddock --version

Providers: openai-compatible (default; any --base-url), openai, anthropic, openrouter, deepseek,
moonshot, zai, qwen, groq, together, fireworks, xai, google, ollama, lmstudio, vllm. --model takes
a catalog id (kimi-k2, claude-sonnet-4-5, …) or the provider's own name.
--base-url, --model and --api-key-env default to $PADDOCK_BASE_URL, $PADDOCK_MODEL and
$PADDOCK_API_KEY_ENV (else the provider's usual variable). --mode defaults to ask: reads run,
edits and commands ask on the terminal (y once, a for the session, n deny, s deny and stop, or
type what to do instead); without a terminal they are denied. auto-edit also allows edits,
full-auto everything inside the workspace, plan only reads and read-only commands.

Options for every command:
  --data-dir DIR   Paddock's data folder (default: $PADDOCK_DATA_DIR, else the app data folder)

Exit codes:
  0    ok; for run, the agent finished
  1    failed (the reason on stderr); for run, the run ended on an error; for providers test,
       the provider did not answer as it should
  2    bad usage
  3    run: stopped at --max-turns
  4    run: interrupted (Paddock stopped during the run); restore: files changed since the last
       checkpoint by someone other than the agent would be overwritten (nothing was restored;
       --force goes ahead)
  5    run: the conversation no longer fits the model
  6    run: paused at a spend cap
  130  run: stopped by you (Ctrl-C; a second Ctrl-C quits at once)
`

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  cwd: string
  env: NodeJS.ProcessEnv
  /** Register what Ctrl-C does (the run aborts; a second Ctrl-C exits at once). */
  onInterrupt?: (fn: () => void) => void
  /** Ask the user a question on the terminal; absent without a TTY. */
  ask?: (question: string) => Promise<string>
  /** Read a secret from standard input (default: process.stdin; hidden at a terminal). */
  readStdin?: (prompt: string) => Promise<string>
}

class UsageError extends Error {}
class CommandError extends Error {}

/** Run one CLI command; returns the exit code (the table at the end of `USAGE`). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        workspace: { type: 'string' },
        title: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        session: { type: 'string' },
        provider: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'api-key-env': { type: 'string' },
        mode: { type: 'string' },
        'max-turns': { type: 'string' },
        'spend-cap': { type: 'string' },
        'daily-cap': { type: 'string' },
        ollama: { type: 'string' },
        lmstudio: { type: 'string' },
        name: { type: 'string' },
        anthropic: { type: 'boolean' },
        'api-key-stdin': { type: 'boolean' },
        preset: { type: 'string' },
        'default-model': { type: 'string' },
        files: { type: 'string' },
        undo: { type: 'boolean' },
        conversation: { type: 'boolean' },
        both: { type: 'boolean' },
        force: { type: 'boolean' },
      },
    })
  } catch (err) {
    io.err(`paddock: ${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.version) {
    io.out(`${APP_VERSION}\n`)
    return 0
  }
  if (values.help || positionals.length === 0) {
    ;(values.help ? io.out : io.err)(USAGE)
    return values.help ? 0 : 2
  }
  const [group, command, ...rest] = positionals
  let engine: Engine | undefined
  try {
    const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env })
    if (group === 'run') {
      if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}" (quote the prompt)`)
      return await runPrompt(
        {
          dataDir,
          workspace: values.workspace,
          session: values.session,
          provider: values.provider,
          baseUrl: values['base-url'],
          model: values.model,
          apiKeyEnv: values['api-key-env'],
          mode: values.mode,
          maxTurns: values['max-turns'],
          spendCap: values['spend-cap'],
          dailyCap: values['daily-cap'],
          json: Boolean(values.json),
          prompt: command,
        },
        io,
        io.onInterrupt ?? (() => {}),
      )
    }
    if (group === 'settings') {
      return runSettings(positionals.slice(1), dataDir, Boolean(values.json), io)
    }
    if (group === 'providers') {
      return await runProviders(
        command,
        rest,
        {
          dataDir,
          json: Boolean(values.json),
          name: values.name,
          baseUrl: values['base-url'],
          anthropic: Boolean(values.anthropic),
          apiKeyEnv: values['api-key-env'],
          apiKeyStdin: Boolean(values['api-key-stdin']),
          preset: values.preset,
          defaultModel: values['default-model'],
        },
        io,
      )
    }
    // checkpoints diff and restore take positional arguments of their own.
    const ownArgs =
      group === 'checkpoints' || group === 'restore' || (group === 'sessions' && command === 'fork')
    if (rest.length && !ownArgs) throw new UsageError(`unexpected argument "${rest[0]}"`)
    if (group === 'models') {
      return await runModels(
        command,
        {
          dataDir,
          json: Boolean(values.json),
          ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
          ...(values['api-key-env'] ? { apiKeyEnv: values['api-key-env'] } : {}),
          ...(values.ollama ? { ollama: values.ollama } : {}),
          ...(values.lmstudio ? { lmstudio: values.lmstudio } : {}),
        },
        io,
      )
    }
    const open = (): Engine => {
      engine = createEngine({ dataDir, kind: 'cli', logger: createFileLogger(dataDir, 'cli') })
      return engine
    }
    const call = async <M extends Method>(m: M, p: MethodInput<M>): Promise<MethodOutput<M>> => {
      const outcome = await (engine ?? open()).call(m, p, { transport: 'cli' })
      if (!outcome.ok) throw new CommandError(outcome.error.message)
      return outcome.result as MethodOutput<M>
    }

    if (group === 'checkpoints' || group === 'restore') {
      const flags = { session: values.session, json: Boolean(values.json) }
      return group === 'checkpoints'
        ? await runCheckpoints(command, rest, flags, call, io)
        : await runRestore(
            positionals.slice(1),
            {
              ...flags,
              files: values.files,
              undo: Boolean(values.undo),
              conversation: Boolean(values.conversation),
              both: Boolean(values.both),
              force: Boolean(values.force),
            },
            call,
            io,
          )
    }

    if (group === 'workspaces' && (command === 'trust' || command === 'untrust')) {
      if (!values.workspace) throw new UsageError(`workspaces ${command} needs --workspace DIR`)
      const ws = await call('workspaces.open', { path: resolve(io.cwd, values.workspace) })
      const updated = await call('workspaces.trust', {
        workspaceId: ws.id,
        trusted: command === 'trust',
      })
      io.out(
        updated.trusted
          ? `Trusted ${updated.path}: its .paddock/permissions.json now applies.\n`
          : `No longer trusting ${updated.path}: its .paddock/permissions.json is ignored.\n`,
      )
      return 0
    }
    if (group === 'sessions' && command === 'list') {
      if (values.title !== undefined) throw new UsageError('--title is only for "sessions create"')
      const workspaces = await call('workspaces.list', {})
      let workspaceId: string | undefined
      if (values.workspace) {
        const path = resolve(io.cwd, values.workspace)
        const ws = workspaces.find((w) => w.path === path) ?? (await findByRealPath(call, path))
        if (!ws) throw new CommandError(`No workspace is open at ${path}.`)
        workspaceId = ws.id
      }
      const sessions = await call('sessions.list', workspaceId ? { workspaceId } : {})
      printSessions(sessions, workspaces, Boolean(values.json), io)
      return 0
    }
    if (group === 'sessions' && command === 'fork') {
      return await runSessionsFork(
        rest,
        {
          ...(values.session !== undefined ? { session: values.session } : {}),
          ...(values.title !== undefined ? { title: values.title } : {}),
          json: Boolean(values.json),
        },
        call,
        io,
      )
    }
    if (group === 'sessions' && command === 'create') {
      if (!values.workspace) throw new UsageError('sessions create needs --workspace DIR')
      const ws = await call('workspaces.open', { path: resolve(io.cwd, values.workspace) })
      const session = await call('sessions.create', {
        workspaceId: ws.id,
        ...(values.title !== undefined ? { title: values.title } : {}),
      })
      if (values.json)
        io.out(`${JSON.stringify({ ...session, workspacePath: ws.path }, null, 2)}\n`)
      else io.out(`Created session ${session.id} "${session.title}" in ${ws.path}\n`)
      return 0
    }
    throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(' ')}"`)
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof RunUsageError ||
      err instanceof ModelsUsageError ||
      err instanceof SettingsUsageError ||
      err instanceof ProvidersUsageError ||
      err instanceof CheckpointsUsageError
    ) {
      io.err(`paddock: ${err.message}\n\n${USAGE}`)
      return 2
    }
    io.err(`paddock: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  } finally {
    // Stores (checkpoints) close asynchronously: their locks are free once this returns.
    await engine?.drain()
    engine?.close()
  }
}

async function findByRealPath(
  call: <M extends Method>(m: M, p: MethodInput<M>) => Promise<MethodOutput<M>>,
  path: string,
): Promise<Workspace | undefined> {
  const { realpath } = await import('node:fs/promises')
  const real = await realpath(path).catch(() => path)
  return (await call('workspaces.list', {})).find((w) => w.path === real)
}

function printSessions(
  sessions: Session[],
  workspaces: Workspace[],
  json: boolean,
  io: CliIo,
): void {
  const pathOf = new Map(workspaces.map((w) => [w.id, w.path]))
  if (json) {
    const rows = sessions.map((s) => ({ ...s, workspacePath: pathOf.get(s.workspaceId) ?? null }))
    io.out(`${JSON.stringify(rows, null, 2)}\n`)
    return
  }
  if (sessions.length === 0) {
    io.out('No sessions.\n')
    return
  }
  const rows = sessions.map((s) => [
    s.id,
    s.title,
    pathOf.get(s.workspaceId) ?? '(closed workspace)',
    new Date(s.updatedAt).toISOString().replace('T', ' ').slice(0, 19),
  ])
  const header = ['ID', 'TITLE', 'WORKSPACE', 'UPDATED (UTC)']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const fmt = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  io.out(`${[fmt(header), ...rows.map(fmt)].join('\n')}\n`)
}
