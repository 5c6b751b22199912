import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { WORKSPACE_PERMISSIONS_FILE } from '../policy/sources'
import type { PaddockEvent } from '../../shared/events'
import type { Mode } from '../policy/modes'
import { MODES } from '../policy/modes'
import { payloadOf } from '../../shared/entries'
import type { ApprovalRequest, TurnEnd } from '../../shared/entries'
import { createFileLogger } from '../core/logger'
import { createEngine } from '../host/engine'
import type { Engine } from '../host/engine'
import type { ProviderId } from '../providers/catalog'
import { createProviderFetch } from '../providers/http-client'
import { keyEnvName } from '../providers/model-source'
import { PROVIDER_PRESETS, modelSource } from '../providers/presets'
import { loadCatalog } from '../providers/user-models'
import { HOST_PROVIDER, splitRef } from '../providers/provider-config'
import { assumedWindowNotice } from '../context/window'
import type { ModelSource } from '../providers/model-source'
import type { Settings } from '../sessions/settings'
import type { MethodOutput } from '../../shared/contract'
import type { CliCall } from './checkpoints-command'
import { runWorkspace } from './worktree-of'
import type { CliIo } from './cli'
import { assertListening } from './reachable'
import { humanPrinter, jsonPrinter } from './run-printers'
import {
  RunUsageError,
  assertSavedFallbacks,
  fallbackFlags,
  positiveNumber,
  sandboxFlag,
  windowFlag,
} from './run-flags'

export interface RunFlags {
  dataDir: string
  workspace?: string
  session?: string
  provider?: string
  baseUrl?: string
  model?: string
  apiKeyEnv?: string
  mode?: string
  maxTurns?: string
  /** The window of the model the run uses, in tokens (instead of the catalog's / models.json's). */
  contextWindow?: string
  /** Models to fall back on, in order (`--fallback-model`, repeatable, at most three). */
  fallbackModels?: string[]
  spendCap?: string
  dailyCap?: string
  /** `--sandbox off|workspace-write`: the agent shell's sandbox for this run (over the setting). */
  sandbox?: string
  json: boolean
  prompt?: string
  /**
   * With `session`, instead of `prompt`: the prompt, worked out once the engine is open and the
   * run can start (null: nothing for the agent to do, the command ends with 0 and no run).
   */
  promptFrom?: (sessionId: string, call: CliCall) => Promise<string | null>
}

/** The contract through an engine, throwing the error's message on an error outcome. */
export function contractCall(engine: Engine): CliCall {
  return async (method, params) => {
    const outcome = await engine.call(method, params, { transport: 'cli' })
    if (!outcome.ok) throw new Error(outcome.error.message)
    return outcome.result as never
  }
}

/** Exit codes of `paddock run`, by how the run stopped. */
export const RUN_EXIT: Record<TurnEnd['reason'], number> = {
  done: 0,
  error: 1,
  max_turns: 3,
  interrupted: 4,
  context_overflow: 5,
  spend_cap: 6,
  aborted: 130,
}

export { RunUsageError }

type SessionStatus = MethodOutput<'sessions.status'>

/**
 * `paddock run`: one prompt to completion in a new (or given) session, printing the run as it
 * happens (or one JSON event per line). The same engine and contract as the apps, in-process.
 */
export async function runPrompt(
  flags: RunFlags,
  io: CliIo,
  onInterrupt: (fn: () => void) => void,
): Promise<number> {
  // A session names its workspace (and its worktree): --workspace may then be left out.
  if (!flags.workspace && !flags.session) throw new RunUsageError('run needs --workspace DIR')
  if (!flags.prompt && !(flags.promptFrom && flags.session))
    throw new RunUsageError('run needs a prompt: paddock run --workspace DIR "…"')
  const provider = (flags.provider ?? 'openai-compatible') as ProviderId
  const preset = PROVIDER_PRESETS[provider]
  if (!preset) {
    throw new RunUsageError(
      `unknown provider "${flags.provider}" (available: ${Object.keys(PROVIDER_PRESETS).join(', ')})`,
    )
  }
  const mode = (flags.mode ?? 'ask') as Mode
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new RunUsageError(`--mode must be one of ${MODES.join(', ')}`)
  }
  const maxTurns = positiveNumber(flags.maxTurns, '--max-turns', true)
  const perSessionUsd = positiveNumber(flags.spendCap, '--spend-cap', false)
  const perDayUsd = positiveNumber(flags.dailyCap, '--daily-cap', false)
  const contextWindow = windowFlag(flags.contextWindow)
  const sandboxMode = sandboxFlag(flags.sandbox)
  const baseUrl =
    flags.baseUrl ??
    (provider === 'openai-compatible'
      ? (io.env.PADDOCK_BASE_URL ?? io.env.OPENAI_BASE_URL)
      : undefined) ??
    preset.baseUrl
  // Without an address (no --base-url, --provider or PADDOCK_BASE_URL), the run uses the providers
  // saved in Settings / `paddock providers add`: `--model <provider>/<model>`, else the default.
  const saved = !baseUrl && !flags.provider
  if (!baseUrl && !saved) throw new RunUsageError('run needs --base-url URL (or PADDOCK_BASE_URL)')
  const model = flags.model ?? io.env.PADDOCK_MODEL
  if (!model && !saved) throw new RunUsageError('run needs --model ID (or PADDOCK_MODEL)')
  if (saved && model && !model.includes('/')) {
    throw new RunUsageError(
      `--model ${model}: name a saved provider's model as <provider>/<model> (paddock providers list), or give --base-url`,
    )
  }
  const fallbacks = fallbackFlags(flags.fallbackModels ?? [], saved, model)
  if (saved && flags.apiKeyEnv) {
    throw new RunUsageError(
      '--api-key-env names the key of a model given by address (--base-url or --provider); a saved provider uses its own key (paddock providers list)',
    )
  }
  // The variable the key is read from travels with the model, so the agent never sees it.
  const keyEnv = flags.apiKeyEnv ?? keyEnvName(io.env, preset.keyEnv)
  const apiKey = saved ? '' : (io.env[keyEnv] ?? '')
  if (flags.apiKeyEnv && !apiKey)
    throw new RunUsageError(`the environment variable ${keyEnv} is not set`)
  // A server on this machine that is not running: say so now, before a session exists.
  if (!saved) await assertListening(baseUrl!)

  /** A model at the run's address, with its key, through the stored network settings. */
  const atAddress = (name: string, settings: Settings): ModelSource => {
    const network = settings.network()
    return modelSource(
      {
        provider,
        model: name,
        baseUrl: baseUrl!,
        apiKey,
        keyEnv,
        fetch: createProviderFetch(network, io.env),
        ...(network.timeoutMs ? { timeoutMs: network.timeoutMs } : {}),
      },
      loadCatalog(flags.dataDir),
    )
  }
  // Given by address, a fallback is another model at that address (the engine's `env/<model>`).
  let addressFallbacks: ModelSource[] = []
  const engine = createEngine({
    dataDir: flags.dataDir,
    kind: 'cli',
    logger: createFileLogger(flags.dataDir, 'cli'),
    // Notice what other processes append: a run of the app in a workspace whose checkpoint store
    // this run holds waits for this process to take its checkpoints.
    watch: true,
    model: saved ? null : (settings) => atAddress(model!, settings),
    ...(!saved && fallbacks.length > 0
      ? {
          hostFallbacks: (settings: Settings) =>
            (addressFallbacks = fallbacks.map((name) => atAddress(name, settings))),
        }
      : {}),
    env: io.env,
    ...(sandboxMode ? { sandboxMode } : {}),
    // Flags win over the stored caps, which the engine applies otherwise.
    spendCaps: {
      ...(perSessionUsd !== undefined ? { perSessionUsd } : {}),
      ...(perDayUsd !== undefined ? { perDayUsd } : {}),
    },
  })
  try {
    const call = async <T>(method: string, params: unknown): Promise<T> => {
      const outcome = await engine.call(method, params, { transport: 'cli' })
      if (!outcome.ok) throw new Error(outcome.error.message)
      return outcome.result as T
    }
    if (saved) {
      const { providers, defaultModel } = await call<{
        providers: Array<{ name: string; baseUrl: string }>
        defaultModel: string | null
      }>('providers.list', {})
      const ref = model ?? defaultModel
      if (!ref) {
        throw new RunUsageError(
          'run needs --base-url URL and --model ID (or PADDOCK_BASE_URL and PADDOCK_MODEL), or a saved provider with a default model (paddock providers add … --default-model ID)',
        )
      }
      assertSavedFallbacks(fallbacks, providers, ref)
      const chosen = providers.find((p) => p.name === ref.slice(0, ref.indexOf('/')))
      if (chosen?.baseUrl) await assertListening(chosen.baseUrl)
    }
    const ws = await runWorkspace(
      contractCall(engine),
      (id) => engine.store.getWorkspace(id),
      flags,
      io.cwd,
    )
    if (!ws.trusted && existsSync(join(ws.path, WORKSPACE_PERMISSIONS_FILE))) {
      // A repository cannot grant itself permissions: its rules need the user's trust, once.
      const reply = io.ask
        ? await io.ask(
            `${ws.path} has its own permission rules (${WORKSPACE_PERMISSIONS_FILE}). Trust them? [y/N] `,
          )
        : ''
      if (/^y(es)?$/i.test(reply.trim())) {
        await call('workspaces.trust', { workspaceId: ws.id, trusted: true })
      } else {
        io.err(
          `paddock: ignoring ${WORKSPACE_PERMISSIONS_FILE} (workspace not trusted; ` +
            `paddock workspaces trust --workspace ${ws.path})\n`,
        )
      }
    }
    const sessionId =
      flags.session ??
      (
        await call<{ id: string }>('sessions.create', {
          workspaceId: ws.id,
          title: flags.prompt!.replace(/\s+/g, ' ').trim().slice(0, 60),
        })
      ).id

    let prompt = flags.prompt!
    if (flags.promptFrom) {
      const asked = await flags.promptFrom(sessionId, contractCall(engine))
      if (asked === null) return 0
      prompt = asked
    }
    const ended = followRun(engine, sessionId, flags.json, io)
    onInterrupt(() => {
      void engine.call('sessions.abort', { sessionId }, { transport: 'cli' })
    })
    await call('sessions.prompt', {
      sessionId,
      text: prompt,
      mode,
      ...(saved && model ? { model } : {}),
      ...(maxTurns ? { maxTurns } : {}),
      ...(contextWindow !== undefined ? { contextWindow } : {}),
      ...(fallbacks.length > 0
        ? {
            fallbackModels: saved
              ? fallbacks
              : addressFallbacks.map((source) => `${HOST_PROVIDER}/${source.model}`),
          }
        : {}),
    })
    // Recorded by now: the model this run uses, and the window it has for it.
    const status = await call<SessionStatus>('sessions.status', { sessionId })
    // Not with --json: its stderr stays empty for scripts (docs/cli-json.md).
    if (!flags.json && status.model && status.context.windowAssumed) {
      io.err(`paddock: ${assumedWindowNotice(splitRef(status.model).model || status.model)}\n`)
    }
    const end = await ended
    if (!flags.json) {
      if (end.reason !== 'done')
        io.err(`paddock: the run stopped (${end.reason})${end.message ? `: ${end.message}` : ''}\n`)
      io.err(`session ${sessionId}\n`)
    }
    return RUN_EXIT[end.reason]
  } finally {
    await engine.drain()
    engine.close()
  }
}

/**
 * Print the session's events from now until the end of the run this command starts, and resolve
 * with that end. A run's own end is its `turn_end` entry followed at once by `turn.state: idle`.
 * A `turn_end` without it closes an earlier run: one whose process died, marked interrupted when
 * this process takes the session over, before the new prompt is recorded. That end is not this
 * run's: it is neither printed as the run's end nor waited for.
 */
function followRun(engine: Engine, sessionId: string, json: boolean, io: CliIo): Promise<TurnEnd> {
  return new Promise<TurnEnd>((resolveEnd) => {
    const heads = engine.store.events.heads()
    const printer = json ? jsonPrinter(io) : humanPrinter(io)
    let held: { event: PaddockEvent; end: TurnEnd } | null = null
    const sub = engine.subscribe({ [sessionId]: heads[sessionId] ?? 0 }, (event) => {
      if (event.sessionId !== sessionId) return
      const last = held
      held = null
      if (event.type === 'turn.state' && event.state === 'idle') {
        sub.dispose()
        if (last) printer(last.event)
        resolveEnd(last?.end ?? { reason: 'error', message: 'the end of the run was not recorded' })
        return
      }
      if (last && !json) {
        const why = last.end.message ? `: ${last.end.message}` : ''
        io.err(
          `paddock: the session's previous run was left unfinished (${last.end.reason}${why})\n`,
        )
      }
      if (event.type === 'entry.appended' && event.entry.type === 'turn_end') {
        const end = payloadOf(event.entry, 'turn_end')
        held = { event, end: end ?? { reason: 'error', message: 'unreadable end of run' } }
        return
      }
      printer(event)
      if (event.type === 'entry.appended' && event.entry.type === 'approval') {
        const request = payloadOf(event.entry, 'approval')
        if (request?.kind === 'request') void answerApproval(engine, sessionId, request, io)
      }
    })
  })
}

/**
 * On a terminal, ask: y (once), a (for this session), n (deny), s (deny and stop), or type what to
 * do instead (deny with that feedback). Without one, deny with a message saying how to allow it.
 */
async function answerApproval(
  engine: Engine,
  sessionId: string,
  request: ApprovalRequest,
  io: CliIo,
): Promise<void> {
  const what =
    request.tool === 'bash'
      ? String((request.arguments as { command?: unknown }).command ?? '')
      : `${request.tool} ${JSON.stringify(request.arguments)}`
  const send = (answer: string, feedback?: string): Promise<unknown> =>
    engine.call(
      'sessions.answerApproval',
      { sessionId, approvalId: request.approvalId, answer, ...(feedback ? { feedback } : {}) },
      { transport: 'cli' },
    )
  if (!io.ask) {
    io.err(
      `paddock: denied ${what} — ${request.reason} (no terminal to ask on; use --mode or a rule)\n`,
    )
    await send(
      'deny',
      'This run has no terminal to ask for approval on, so the call was denied. Do without it, or ' +
        'tell the user to rerun with a mode or rule that allows it.',
    )
    return
  }
  const risky = (request.subcommands ?? [])
    .filter((s) => s.action !== 'allow' || s.risky.length)
    .map((s) => `    ${s.text}: ${[s.reason, ...s.risky].join('; ')}\n`)
    .join('')
  const reply = (
    await io.ask(
      `\nApprove ${what}?\n  ${request.reason}\n${risky}[y] once  [a] for this session  [n] deny  [s] deny and stop  or type what to do instead: `,
    )
  ).trim()
  const lower = reply.toLowerCase()
  if (lower === 'y' || lower === 'yes') await send('allow_once')
  else if (lower === 'a') await send('allow_session')
  else if (lower === 's') await send('deny_stop')
  else if (lower === 'n' || lower === 'no' || lower === '') await send('deny')
  else await send('deny', reply)
}
