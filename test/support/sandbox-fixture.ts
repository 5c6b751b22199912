import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { ContractError } from '../../src/shared/errors'
import { createMemoryLogger } from '../../src/main/core/logger'
import type { SandboxMode } from '../../src/main/sandbox/policy'
import { SessionSandboxes } from '../../src/main/sandbox/session-sandbox'
import { ShellManager } from '../../src/main/shells/shell-manager'
import { bashTool } from '../../src/main/tools/bash'
import { createToolContext } from '../../src/main/tools/context'
import { sanitizedEnv } from '../../src/main/tools/env'
import { eraseTool } from '../../src/main/tools/registry'
import type { AnyTool, ToolResult } from '../../src/main/tools/types'
import { git, initRepo } from './git-repo'
import { runTool } from './run-tool'

/**
 * Real sessions' agent shells in real bubblewrap: a temp HOME (with ~/.ssh and a startup file), a
 * data folder holding a secrets file, a repository worked in place (session `inplace`) and a
 * linked worktree of it (session `wt`), plus another session's worktree (`other`). Everything
 * lives under /var/tmp, since the sandbox gives each shell its own /tmp.
 */
export interface SandboxFixture {
  root: string
  home: string
  dataDir: string
  repo: string
  worktree: string
  otherWorktree: string
  manager: ShellManager
  sandboxes: SessionSandboxes
  settings: { mode?: SandboxMode; network?: 'off' | 'on' }
  tool(t: AnyTool, args: unknown, session?: string, signal?: AbortSignal): Promise<ToolResult>
  bash(command: string, session?: string, extra?: Record<string, unknown>): Promise<ToolResult>
}

const made: Array<{ f: SandboxFixture; dir: string }> = []
afterEach(() => {
  for (const { f, dir } of made.splice(0)) {
    f.manager.shutdown()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** `noPty`: node-pty "fails to load", so `bash` runs each command as a process. */
export function sandboxFixture(opts: { noPty?: boolean } = {}): SandboxFixture {
  mkdirSync('/var/tmp', { recursive: true })
  const dir = mkdtempSync('/var/tmp/paddock-sandbox-')
  const root = realpathSync(dir)
  const home = join(root, 'home')
  mkdirSync(join(home, '.ssh'), { recursive: true })
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE-KEY-PLANTED')
  writeFileSync(join(home, '.bashrc'), '# the user startup file\n')
  const dataDir = join(root, 'data')
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(join(dataDir, 'secrets.json'), '{"key":"sk-PLANTED"}')
  const repo = initRepo(join(root, 'repo'), { 'a.txt': 'a\n' })
  const worktree = join(root, 'repo.worktrees', 'wt')
  const otherWorktree = join(root, 'repo.worktrees', 'other')
  git(repo, 'worktree', 'add', '-q', '-b', 'paddock/wt', worktree)
  git(repo, 'worktree', 'add', '-q', '-b', 'paddock/other', otherWorktree)
  writeFileSync(join(otherWorktree, 'theirs.txt'), 'another session\n')
  const folders: Record<string, string> = { inplace: repo, wt: worktree, other: otherWorktree }
  const settings: SandboxFixture['settings'] = {}
  const sandboxes = new SessionSandboxes({
    dataDir,
    home,
    platform: process.platform,
    arch: process.arch,
    settings: () => settings,
    otherFolders: (id) =>
      Object.entries(folders)
        .filter(([sid]) => sid !== id && sid !== 'inplace')
        .map(([, p]) => p),
  })
  const manager = new ShellManager({
    dataDir,
    logger: createMemoryLogger(),
    env: () =>
      sanitizedEnv({
        PATH: process.env.PATH,
        HOME: home,
        SHELL: '/bin/bash',
        LANG: 'C.UTF-8',
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.com',
      }),
    workspaceOf: (id) => {
      const p = folders[id]
      if (!p) throw new ContractError('not_found', `No session ${id}.`)
      return p
    },
    settings: () => ({}),
    ...(opts.noPty ? { pty: null } : {}),
    sandbox: (sid, r, cwd, file, args) => sandboxes.wrap(sid, r, cwd, file, args),
    confinement: (sid, r) => sandboxes.confinement(sid, r),
    publish: () => {},
    stamp: (sessionId, draft) =>
      ({ ...draft, sessionId, seq: 1, at: Date.now(), ephemeral: true }) as never,
  })
  const f: SandboxFixture = {
    root,
    home,
    dataDir,
    repo,
    worktree,
    otherWorktree,
    manager,
    sandboxes,
    settings,
    tool(t, args, session = 'inplace', signal) {
      const ctx = {
        ...createToolContext({
          workspaceRoot: folders[session]!,
          spillDir: join(dataDir, 'spill', session),
          ripgrepPath: null,
          ...(signal ? { signal } : {}),
        }),
        shell: manager.agentShell(session),
      }
      return runTool(t, args, ctx)
    },
    bash(command, session = 'inplace', extra = {}) {
      return f.tool(eraseTool(bashTool), { command, timeout_ms: 20_000, ...extra }, session)
    },
  }
  made.push({ f, dir })
  return f
}
