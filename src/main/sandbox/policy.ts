import { homedir } from 'node:os'
import { join } from 'node:path'

/** How the agent's commands are confined. */
export type SandboxMode = 'off' | 'workspace-write'

/** What one session's sandbox allows: the inputs of the argument and profile builders. */
export interface SandboxPolicy {
  /** The session's folder (its worktree, or the workspace): writable. */
  root: string
  /** A private temp folder, seen as /tmp inside (TMPDIR points there). */
  tempDir: string
  /** Other writable folders (the tools' spill folder). */
  writable: string[]
  /** Read-only folders shown again inside a hidden one (the shell integration scripts). */
  readable: string[]
  /** Paths replaced by an empty folder: Paddock's data folder, other sessions' worktrees, keys. */
  hidden: string[]
  /** Files kept read-only even inside a writable folder (startup files, git config). */
  readOnly: string[]
  /** Whether the network is shared with the host (otherwise only an isolated loopback). */
  network: boolean
}

/** The credential folders and files always hidden, under `home`. */
export function secretPaths(home: string = homedir()): string[] {
  return ['.ssh', '.aws', '.gnupg', '.config/gh', '.netrc', '.docker/config.json', '.kube'].map(
    (p) => join(home, p),
  )
}

/** The shell startup files and git config kept read-only, under `home`. */
export function startupFiles(home: string = homedir()): string[] {
  return [
    '.bashrc',
    '.bash_profile',
    '.bash_login',
    '.profile',
    '.bash_logout',
    '.zshrc',
    '.zshenv',
    '.zprofile',
    '.zlogin',
    '.gitconfig',
    '.config/git',
  ].map((p) => join(home, p))
}
