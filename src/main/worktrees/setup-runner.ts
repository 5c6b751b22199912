/**
 * Runs a new worktree's `setup` command (`.paddock/worktree.json`) in the session's own terminal,
 * so its output is there to read, and says how it ended. A failing setup leaves the session
 * usable: the user (or the agent) can run it again by hand.
 */
import { join } from 'node:path'
import type { SetupState } from '../../shared/contract'
import type { Logger } from '../core/logger'
import type { AgentShell } from '../shells/agent-shell'

/** Longest a setup may run before Paddock stops waiting for it (it keeps running in the terminal). */
export const SETUP_WAIT_MS = 30 * 60 * 1000

export interface SetupRunnerDeps {
  shellFor: (sessionId: string) => AgentShell
  spillDir: string
  logger: Logger
  /** Each change of a session's setup state (to publish it). */
  changed: (sessionId: string, state: SetupState) => void
}

export class SetupRunner {
  private readonly states = new Map<string, SetupState>()

  constructor(private readonly deps: SetupRunnerDeps) {}

  state(sessionId: string): SetupState | null {
    return this.states.get(sessionId) ?? null
  }

  /** Starts `command` in the session's terminal; resolves when it ended (or stopped being waited for). */
  async run(sessionId: string, command: string): Promise<SetupState> {
    this.set(sessionId, {
      command,
      state: 'running',
      exitCode: null,
      message: `Running the worktree's setup: ${command}`,
    })
    try {
      const cmd = await this.deps.shellFor(sessionId).run(command, {
        timeoutMs: SETUP_WAIT_MS,
        signal: new AbortController().signal,
        spillPath: join(this.deps.spillDir, `setup-${sessionId}.txt`),
        notes: [],
      })
      if (!cmd.done)
        return this.set(sessionId, {
          command,
          state: 'failed',
          exitCode: null,
          message: `The setup is still running after ${SETUP_WAIT_MS / 60_000} minutes; see the session's terminal.`,
        })
      const ok = cmd.exitCode === 0
      return this.set(sessionId, {
        command,
        state: ok ? 'succeeded' : 'failed',
        exitCode: cmd.exitCode,
        message: ok
          ? `Setup finished: ${command}`
          : `Setup failed${cmd.exitCode !== null ? ` (exit code ${cmd.exitCode})` : ''}: ${command}. Its output is in the session's terminal; the session works, but the project may need the setup run again.`,
      })
    } catch (error) {
      this.deps.logger.log('warn', 'worktree setup could not start', {
        session: sessionId,
        error: String(error),
      })
      return this.set(sessionId, {
        command,
        state: 'failed',
        exitCode: null,
        message: `The setup could not start: ${error instanceof Error ? error.message : String(error)}`,
      })
    }
  }

  /**
   * A setup command from an untrusted workspace's files is not run (the repository, or an agent
   * working in place, wrote it): the session says so and what to run.
   */
  skip(sessionId: string, command: string): SetupState {
    return this.set(sessionId, {
      command,
      state: 'skipped',
      exitCode: null,
      message: `Not run: the workspace is not trusted, and this command comes from its .paddock/worktree.json. Run it in the session's terminal if you want it, or trust the workspace (paddock workspaces trust) for the next sessions.`,
    })
  }

  forget(sessionId: string): void {
    this.states.delete(sessionId)
  }

  private set(sessionId: string, state: SetupState): SetupState {
    this.states.set(sessionId, state)
    this.deps.changed(sessionId, state)
    return state
  }
}
