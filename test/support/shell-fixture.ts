import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { EphemeralEvent } from '../../src/shared/events'
import type { TerminalInfo } from '../../src/shared/terminals'
import { ContractError } from '../../src/shared/errors'
import { createMemoryLogger } from '../../src/main/core/logger'
import { ShellManager } from '../../src/main/shells/shell-manager'
import { bashTool } from '../../src/main/tools/bash'
import { createToolContext } from '../../src/main/tools/context'
import { sanitizedEnv } from '../../src/main/tools/env'
import { eraseTool } from '../../src/main/tools/registry'
import type { AnyTool, ToolResult } from '../../src/main/tools/types'
import { runTool } from './run-tool'
import { tempDir } from './temp'

/**
 * A real ShellManager over real PTYs for session ids s0–s9, with a temp HOME and workspace
 * (home/project, with a sub folder), the events it publishes, and the agent's tools at hand.
 */
export interface Fixture {
  root: string
  workspace: string
  dataDir: string
  manager: ShellManager
  events: EphemeralEvent[]
  settings: { shell?: string; scrollbackLines?: number }
  tool(
    name: AnyTool,
    args: unknown,
    opts?: { session?: string; signal?: AbortSignal },
  ): Promise<ToolResult>
  bash(command: string, extra?: Record<string, unknown>, session?: string): Promise<ToolResult>
  /** Resolves with the first terminal.state (already published or later) that matches. */
  state(pred: (t: TerminalInfo) => boolean): Promise<TerminalInfo>
  restart(): void
}

const fixtures: Fixture[] = []
afterEach(() => {
  for (const f of fixtures.splice(0)) f.manager.shutdown()
})

export function fixture(opts: { shell?: string; reuse?: { root: string } } = {}): Fixture {
  const tmp = opts.reuse ? { path: opts.reuse.root, cleanup: () => {} } : tempDir('paddock-shells-')
  const root = realpathSync(tmp.path)
  const workspace = join(root, 'home', 'project')
  mkdirSync(join(workspace, 'sub'), { recursive: true })
  const dataDir = join(root, 'data')
  const events: EphemeralEvent[] = []
  const waiters: Array<{ pred: (t: TerminalInfo) => boolean; resolve: (t: TerminalInfo) => void }> =
    []
  const settings: Fixture['settings'] = {}
  const env = (): Record<string, string> =>
    sanitizedEnv({
      PATH: process.env.PATH,
      HOME: join(root, 'home'),
      SHELL: opts.shell ?? '/bin/bash',
      LANG: 'C.UTF-8',
      OPENAI_API_KEY: 'sk-live-should-not-leak',
      GITHUB_TOKEN: 'ghp_should_not_leak',
      PADDOCK_WEB_TOKEN: 'paddock-should-not-leak',
    })
  const make = (): ShellManager =>
    new ShellManager({
      dataDir,
      logger: createMemoryLogger(),
      env,
      workspaceOf: (id) => {
        if (!/^s\d$/.test(id)) throw new ContractError('not_found', `No session ${id}.`)
        return workspace
      },
      settings: () => settings,
      publish: (sessionId, draft) => {
        const e = { ...draft, sessionId, seq: 1, at: Date.now(), ephemeral: true } as EphemeralEvent
        events.push(e)
        if (e.type !== 'terminal.state') return
        for (const w of [...waiters]) {
          if (w.pred(e.terminal)) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve(e.terminal)
          }
        }
      },
      stamp: (sessionId, draft) =>
        ({ ...draft, sessionId, seq: 1, at: Date.now(), ephemeral: true }) as EphemeralEvent,
    })
  const f: Fixture = {
    root,
    workspace,
    dataDir,
    manager: make(),
    events,
    settings,
    tool(t, args, o = {}) {
      const ctx = {
        ...createToolContext({
          workspaceRoot: workspace,
          spillDir: join(dataDir, 'spill'),
          ripgrepPath: null,
          ...(o.signal ? { signal: o.signal } : {}),
        }),
        shell: f.manager.agentShell(o.session ?? 's1'),
      }
      return runTool(t, args, ctx)
    },
    bash(command, extra = {}, session) {
      return f.tool(
        eraseTool(bashTool),
        { command, timeout_ms: 20_000, ...extra },
        { session: session ?? 's1' },
      )
    },
    state(pred) {
      for (const e of events)
        if (e.type === 'terminal.state' && pred(e.terminal)) return Promise.resolve(e.terminal)
      return new Promise((resolve) => waiters.push({ pred, resolve }))
    },
    restart() {
      f.manager.shutdown()
      f.manager = make()
    },
  }
  fixtures.push(f)
  if (!opts.reuse) afterEach(() => tmp.cleanup())
  return f
}

/** The terminal's screen as text, once everything printed so far has been parsed. */
export async function screenText(f: Fixture, terminalId: string): Promise<string> {
  const terminal = f.manager['terminals'].get(terminalId)!
  await terminal.whenParsed()
  return terminal.screen.text()
}
