import { realpathSync } from 'node:fs'
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

/**
 * Sockets of services that act outside the sandbox for whoever connects (a read-only mount does
 * not stop a connect): the user's session bus and keyring (`systemd-run --user` would start a
 * process unconfined), Docker, the system bus. Hidden like the credential folders.
 */
export function hostSockets(
  env: NodeJS.ProcessEnv = process.env,
  uid: number | undefined = process.getuid?.(),
): string[] {
  const candidates = ['/run/dbus', '/var/run/dbus', '/run/docker.sock', '/var/run/docker.sock']
  if (uid !== undefined) candidates.push(`/run/user/${uid}`)
  const runtime = env.XDG_RUNTIME_DIR
  if (runtime && runtime.startsWith('/')) candidates.push(runtime)
  // Each once, by its real path (/var/run is usually a link to /run): bwrap cannot mount twice.
  const out: string[] = []
  for (const p of candidates) {
    let real = p
    try {
      real = realpathSync(p)
    } catch {
      // Not on this machine: still listed (a mount skips what does not exist).
    }
    if (!out.includes(real)) out.push(real)
  }
  return out
}

/** Variables that lead to those services, or to the SSH agent's keys: unset inside. */
export const HOST_SOCKET_VARS: readonly string[] = ['DBUS_SESSION_BUS_ADDRESS', 'SSH_AUTH_SOCK']

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
