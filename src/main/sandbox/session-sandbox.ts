import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { isWithin } from '../core/within'
import { PRIVATE_DIR_MODE } from '../core/private-files'
import type { SandboxAvailability } from './availability'
import type { Confinement } from './blocked'
import { probeSandbox } from './availability'
import { gitMounts } from './bwrap-args'
import { findGitLayout } from './git-layout'
import { linuxSandboxSpawn, type SandboxedSpawn } from './launch'
import type { SandboxMode, SandboxPolicy } from './policy'
import { hostSockets, secretPaths, startupFiles } from './policy'
import { seatbeltProfile } from './seatbelt'
import { seccompSupported } from './seccomp'

/** What a session's shell runs under, as clients show it. */
export interface SandboxState {
  mode: SandboxMode
  network: boolean
  /** Why the sandbox cannot start here (and it is wanted), with what to do; else null. */
  unavailable: string | null
}

export interface SessionSandboxesOptions {
  dataDir: string
  home: string
  platform: NodeJS.Platform
  arch: string
  /** The stored settings, read at each shell start (undefined: not set). */
  settings: () => { mode?: SandboxMode; network?: 'off' | 'on' }
  /** A host-wide override (`paddock run --sandbox`). */
  override?: SandboxMode
  /** Other sessions' folders (their worktrees), hidden from this one. */
  otherFolders: (sessionId: string) => string[]
  probe?: () => SandboxAvailability
}

/**
 * The sandbox of each session's agent shell: its mode (the override, else the setting, else
 * workspace-write wherever a sandbox exists), and the process that starts the shell inside it.
 */
export class SessionSandboxes {
  private probed: SandboxAvailability | null = null

  constructor(private readonly opts: SessionSandboxesOptions) {}

  availability(): SandboxAvailability {
    this.probed ??= (this.opts.probe ?? (() => probeSandbox(this.opts.platform, this.opts.arch)))()
    return this.probed
  }

  state(): SandboxState {
    const s = this.opts.settings()
    const wanted = this.opts.override ?? s.mode
    // Windows has no sandbox: off unless asked for (then the shell says why it cannot start).
    const mode = wanted ?? (this.opts.platform === 'win32' ? 'off' : 'workspace-write')
    // Windows is said to have no sandbox even while off (the UI shows why); elsewhere the probe
    // runs only when the sandbox is wanted.
    const a = mode === 'off' && this.opts.platform !== 'win32' ? null : this.availability()
    return {
      mode,
      network: s.network === 'on',
      unavailable: a && !a.ok ? `${a.reason} ${a.fix}` : null,
    }
  }

  /** The policy of a session working in `root`. */
  policy(sessionId: string, root: string, network: boolean): SandboxPolicy {
    const { dataDir, home } = this.opts
    return {
      root,
      tempDir: join(dataDir, 'sandbox', 'tmp', sessionId),
      writable: [join(dataDir, 'spill', sessionId)],
      readable: [join(dataDir, 'shell-integration')],
      hidden: [
        dataDir,
        ...secretPaths(home),
        ...hostSockets(),
        ...this.opts.otherFolders(sessionId),
      ],
      readOnly: startupFiles(home),
      network,
    }
  }

  /**
   * How to start an MCP stdio server its configuration runs inside the sandbox: it writes only to
   * `root` (the workspace of a workspace's server, else a folder of its own) and a private /tmp,
   * reaches the network as agent shells do, and sees neither Paddock's data nor the credential
   * folders. As is when the sandbox is off; an error, never an unconfined start, when it is wanted
   * but cannot start.
   */
  wrapServer(
    server: string,
    root: string | undefined,
    file: string,
    args: string[],
  ): (SandboxedSpawn & { cwd: string }) | { error: string } {
    const id = `mcp-${server.replace(/[^A-Za-z0-9_-]/g, '_')}`
    const own = root ?? join(this.opts.dataDir, 'sandbox', 'mcp', id)
    mkdirSync(own, { recursive: true, mode: PRIVATE_DIR_MODE })
    const spawn = this.wrap(id, own, own, file, args, true, tmpProjects([file, ...args]))
    return 'error' in spawn ? spawn : { ...spawn, cwd: own }
  }

  /** The session was deleted: its private /tmp goes with it. */
  forget(sessionId: string): void {
    rmSync(join(this.opts.dataDir, 'sandbox', 'tmp', sessionId), { recursive: true, force: true })
  }

  /** What the session's sandbox lets through, or null when its commands are not confined. */
  confinement(sessionId: string, root: string): Confinement | null {
    const st = this.state()
    if (st.mode === 'off' || st.unavailable) return null
    const p = this.policy(sessionId, root, st.network)
    return { writable: [p.root, '/tmp', ...p.writable], hidden: p.hidden, network: p.network }
  }

  /**
   * How to start `file args` for the session's agent: as is (mode off), inside the sandbox, or an
   * error a person can act on (the sandbox is wanted but cannot start: never run it unconfined).
   */
  wrap(
    sessionId: string,
    root: string,
    cwd: string,
    file: string,
    args: string[],
    newSession = false,
    readable: readonly string[] = [],
  ): SandboxedSpawn | { error: string } {
    const st = this.state()
    if (st.mode === 'off') return { file, args }
    if (st.unavailable) {
      return {
        error: `The sandbox cannot start: ${st.unavailable} To run the agent's commands unconfined instead, choose it: paddock settings set sandbox.mode off (or the session's shield).`,
      }
    }
    const a = this.availability()
    if (!a.ok) return { error: 'The sandbox cannot start.' }
    const policy = this.policy(sessionId, root, st.network)
    policy.readable.push(...readable)
    if (this.opts.platform === 'darwin') {
      const git = findGitLayout(root)
      const profile = seatbeltProfile(policy, git ? gitMounts(git, root) : [])
      mkdirSync(policy.tempDir, { recursive: true, mode: PRIVATE_DIR_MODE })
      return {
        file: a.bwrap,
        args: ['-p', profile, file, ...args],
        env: { TMPDIR: policy.tempDir },
      }
    }
    const arch = seccompSupported(this.opts.arch) ? this.opts.arch : null
    return linuxSandboxSpawn({
      bwrap: a.bwrap,
      seccompDir: arch ? join(this.opts.dataDir, 'sandbox') : null,
      arch,
      policy,
      cwd,
      file,
      args,
      ...(newSession ? { newSession: true } : {}),
    })
  }
}

/**
 * The project folders (the nearest one holding `node_modules` or `package.json`) of the files a
 * command line names under /tmp: inside the sandbox /tmp is a private folder, so a server run from
 * a checkout there is shown its project read-only.
 */
function tmpProjects(words: readonly string[]): string[] {
  const out: string[] = []
  for (const w of words) {
    if (!isAbsolute(w) || !isWithin('/tmp', w) || w === '/tmp' || !existsSync(w)) continue
    let dir = dirname(w)
    while (dir !== '/tmp' && dir !== dirname(dir)) {
      if (existsSync(join(dir, 'node_modules')) || existsSync(join(dir, 'package.json'))) break
      dir = dirname(dir)
    }
    const project = dir === '/tmp' ? dirname(w) : dir
    if (!out.includes(project)) out.push(project)
  }
  return out
}
