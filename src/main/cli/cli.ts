import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Method, MethodInput, MethodOutput } from '../../shared/contract'
import { resolveDataDir } from '../core/data-dir'
import { createFileLogger } from '../core/logger'
import { APP_VERSION } from '../core/version'
import type { Engine } from '../host/engine'
import { createEngine } from '../host/engine'
import { RunUsageError, runPrompt } from './run-command'
import { ModelsUsageError, runModels } from './models-command'
import { runModelsQuirks } from './models-quirks'
import { SettingsUsageError, runSettings } from './settings-command'
import { ProvidersUsageError, runProviders } from './providers-command'
import { McpUsageError, runMcp } from './mcp-command'
import { CheckpointsUsageError, runCheckpoints } from './checkpoints-command'
import { runRestore } from './restore-command'
import { runDoctorCommand } from './doctor-command'
import { runSessionsFork } from './sessions-fork-command'
import { CompactUsageError, runCompact } from './compact-command'
import { describeSessions, printSessions, printSessionsJson } from './sessions-list'
import { workspaceArg } from './worktree-of'
import { SkillsUsageError, runSkills } from './skills-command'
import { SUBCOMMANDS, USAGE, closest, usageHint, usageOf } from './usage'
import { GIT_COMMANDS, GitUsageError, resolvePrompt, runSessionsGit } from './git-commands'
import {
  WorktreesUsageError,
  runDeletedList,
  runRestoreDeleted,
  runSessionsCreate,
  runSessionsDelete,
  runWorktrees,
} from './worktree-commands'

export { USAGE } from './usage'

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

const OPTIONS = {
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
  'context-window': { type: 'string' },
  'fallback-model': { type: 'string', multiple: true },
  'spend-cap': { type: 'string' },
  'daily-cap': { type: 'string' },
  sandbox: { type: 'string' },
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
  focus: { type: 'string' },
  worktree: { type: 'boolean' },
  base: { type: 'string' },
  branch: { type: 'string' },
  squash: { type: 'boolean' },
  message: { type: 'string', short: 'm' },
  body: { type: 'string' },
  env: { type: 'string', multiple: true },
  url: { type: 'string' },
  header: { type: 'string', multiple: true },
  sandboxed: { type: 'boolean' },
} as const

/** `paddock sessions` commands that take the session ID (or a checkpoint) as an argument. */
const SESSION_ARG_COMMANDS: readonly string[] = [
  'fork',
  'delete',
  'restore-deleted',
  'resolve',
  ...GIT_COMMANDS,
]

/** A parse error in one line; an unknown option with the option it was probably meant to be. */
function parseErrorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  if ((err as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message
  const option = /'(-[^']*)'/.exec(message)?.[1] ?? message
  const guess = closest(
    option.replace(/^-+/, ''),
    Object.keys(OPTIONS).filter((o) => o !== 'help' && o !== 'version'),
  )
  return `unknown option ${option}${guess ? ` (did you mean --${guess}?)` : ''}`
}

/** Why `group command` is no command, with the one probably meant; null when it is one. */
function unknownCommand(group: string, command: string | undefined): string | null {
  const subcommands = SUBCOMMANDS[group]
  if (!subcommands) {
    const guess = closest(group, Object.keys(SUBCOMMANDS))
    return `unknown command "${group}"${guess ? ` (did you mean "${guess}"?)` : ''}`
  }
  if (command === undefined || subcommands.length === 0 || subcommands.includes(command))
    return null
  const guess = closest(command, subcommands)
  return `unknown command "${group} ${command}" (${
    guess ? `did you mean "${group} ${guess}"?` : subcommands.join(', ')
  })`
}

/** Run one CLI command; returns the exit code (the table at the end of `USAGE`). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS })
  } catch (err) {
    io.err(`paddock: ${parseErrorText(err)}\n${usageHint(argv.find((a) => !a.startsWith('-')))}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.version) {
    io.out(`${APP_VERSION}\n`)
    return 0
  }
  if (values.help) {
    io.out(positionals[0] ? usageOf(positionals[0]) : USAGE)
    return 0
  }
  if (positionals.length === 0) {
    io.err(USAGE)
    return 2
  }
  const [group, command, ...rest] = positionals
  if (group === 'help') {
    io.out(command ? usageOf(command) : USAGE)
    return 0
  }
  const unknown = unknownCommand(group!, command)
  if (unknown) {
    io.err(`paddock: ${unknown}\n${usageHint(group! in SUBCOMMANDS ? group : undefined)}`)
    return 2
  }
  let engine: Engine | undefined
  try {
    const dataDir = resolveDataDir({ flag: values['data-dir'], env: io.env })
    const resolving = group === 'sessions' && command === 'resolve'
    if (group === 'run' || resolving) {
      if (rest.length > (resolving ? 1 : 0))
        throw new UsageError(`unexpected argument "${rest.at(-1)}" (quote the prompt)`)
      if (resolving && !rest[0]) throw new UsageError('sessions resolve needs a session ID')
      if (resolving && values.session !== undefined)
        throw new UsageError('sessions resolve takes the session ID as its argument, not --session')
      return await runPrompt(
        {
          dataDir,
          workspace: values.workspace,
          session: resolving ? rest[0] : values.session,
          provider: values.provider,
          baseUrl: values['base-url'],
          model: values.model,
          apiKeyEnv: values['api-key-env'],
          mode: values.mode,
          maxTurns: values['max-turns'],
          contextWindow: values['context-window'],
          fallbackModels: values['fallback-model'] ?? [],
          spendCap: values['spend-cap'],
          dailyCap: values['daily-cap'],
          sandbox: values.sandbox,
          json: Boolean(values.json),
          ...(resolving
            ? { promptFrom: resolvePrompt(Boolean(values.json), io) }
            : { prompt: command }),
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
      group === 'mcp' ||
      group === 'checkpoints' ||
      group === 'restore' ||
      (group === 'sessions' && SESSION_ARG_COMMANDS.includes(command ?? ''))
    if (rest.length && !ownArgs) throw new UsageError(`unexpected argument "${rest[0]}"`)
    // models quirks reads the session logs; the other models commands need no engine.
    if (group === 'models' && command !== 'quirks') {
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
      engine = createEngine({
        dataDir,
        kind: 'cli',
        logger: createFileLogger(dataDir, 'cli'),
        env: io.env,
        // The home folder of the environment the CLI was given (where the user's skills are).
        ...(io.env.HOME ? { home: io.env.HOME } : {}),
        // An MCP server that needs a sign-in: the page to open is printed.
        openAuthorization: (server, url) =>
          io.err(`Sign in to MCP server ${server}: open ${url.href}\n`),
      })
      return engine
    }
    const call = async <M extends Method>(m: M, p: MethodInput<M>): Promise<MethodOutput<M>> => {
      const outcome = await (engine ?? open()).call(m, p, { transport: 'cli' })
      if (!outcome.ok) throw new CommandError(outcome.error.message)
      return outcome.result as MethodOutput<M>
    }

    if (group === 'doctor') {
      if (command !== undefined) throw new UsageError(`unexpected argument "${command}"`)
      return await runDoctorCommand(Boolean(values.json), call, io)
    }
    if (group === 'models') {
      const flags = { json: Boolean(values.json), ...(values.model ? { model: values.model } : {}) }
      return await runModelsQuirks(flags, call, io)
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
        // A session's worktree stands for its repository's workspace.
        workspaceId = (await workspaceArg(call, io.cwd, values.workspace, false)).workspace.id
      }
      const sessions = await call('sessions.list', workspaceId ? { workspaceId } : {})
      const rows = await describeSessions(call, sessions)
      if (values.json) printSessionsJson(rows, workspaces, io)
      else printSessions(rows, workspaces, io)
      return 0
    }
    if (group === 'compact') {
      if (command !== undefined) throw new UsageError(`unexpected argument "${command}"`)
      return await runCompact(
        {
          ...(values.session !== undefined ? { session: values.session } : {}),
          ...(values.focus !== undefined ? { focus: values.focus } : {}),
          ...(values.model !== undefined ? { model: values.model } : {}),
          json: Boolean(values.json),
        },
        call,
        io,
      )
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
      return await runSessionsCreate(
        {
          ...(values.workspace !== undefined ? { workspace: values.workspace } : {}),
          ...(values.title !== undefined ? { title: values.title } : {}),
          worktree: Boolean(values.worktree),
          ...(values.base !== undefined ? { base: values.base } : {}),
          ...(values.branch !== undefined ? { branch: values.branch } : {}),
          json: Boolean(values.json),
        },
        call,
        io,
      )
    }
    if (group === 'sessions' && (GIT_COMMANDS as readonly string[]).includes(command ?? '')) {
      return await runSessionsGit(
        command as (typeof GIT_COMMANDS)[number],
        rest,
        {
          json: Boolean(values.json),
          squash: Boolean(values.squash),
          ...(values.message !== undefined ? { message: values.message } : {}),
          ...(values.title !== undefined ? { title: values.title } : {}),
          ...(values.body !== undefined ? { body: values.body } : {}),
        },
        call,
        io,
      )
    }
    if (group === 'sessions' && command === 'delete') {
      const flags = { force: Boolean(values.force), json: Boolean(values.json) }
      return await runSessionsDelete(rest, flags, call, io)
    }
    if (group === 'sessions' && command === 'restore-deleted') {
      return await runRestoreDeleted(rest, { json: Boolean(values.json) }, call, io)
    }
    const filter = {
      ...(values.workspace !== undefined ? { workspace: values.workspace } : {}),
      json: Boolean(values.json),
    }
    if (group === 'sessions' && command === 'deleted') return await runDeletedList(filter, call, io)
    if (group === 'skills') return await runSkills(command, filter, call, io)
    if (group === 'mcp') {
      const dashes = argv.indexOf('--')
      return await runMcp(
        command,
        rest,
        {
          json: Boolean(values.json),
          env: values.env ?? [],
          header: values.header ?? [],
          sandboxed: Boolean(values.sandboxed),
          ...(values.url !== undefined ? { url: values.url } : {}),
          ...(values.workspace !== undefined
            ? { workspace: resolve(io.cwd, values.workspace) }
            : {}),
          command: dashes < 0 ? [] : argv.slice(dashes + 1),
        },
        call,
        io,
      )
    }
    if (group === 'worktrees') return await runWorktrees(command, filter, call, io)
    throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(' ')}"`)
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof RunUsageError ||
      err instanceof ModelsUsageError ||
      err instanceof SettingsUsageError ||
      err instanceof ProvidersUsageError ||
      err instanceof McpUsageError ||
      err instanceof CheckpointsUsageError ||
      err instanceof CompactUsageError ||
      err instanceof GitUsageError ||
      err instanceof WorktreesUsageError ||
      err instanceof SkillsUsageError
    ) {
      io.err(`paddock: ${err.message}\n${usageHint(group)}`)
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
