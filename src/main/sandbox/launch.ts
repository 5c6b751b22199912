import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_DIR_MODE } from '../core/private-files'
import { bwrapArgs, type PathKind } from './bwrap-args'
import { findGitLayout } from './git-layout'
import type { SandboxPolicy } from './policy'
import { tiocstiFilterBytes, type SeccompArch } from './seccomp'

/** A process to spawn in place of the shell: the same shell, started inside the sandbox. */
export interface SandboxedSpawn {
  file: string
  args: string[]
  /** Variables to set on top of the shell's environment. */
  env?: Record<string, string>
}

export function pathKind(p: string): PathKind {
  try {
    const st = statSync(p)
    return st.isDirectory() ? 'dir' : 'file'
  } catch {
    return null
  }
}

export interface LinuxLaunch {
  bwrap: string
  /** Where the seccomp program is written (outside the sandbox's view), or null without one. */
  seccompDir: string | null
  arch: SeccompArch | null
  policy: SandboxPolicy
  cwd: string
  file: string
  args: string[]
}

/**
 * Wrap `file args` in bwrap. The seccomp program is handed over on fd 3 through `sh` (node-pty
 * passes no extra fds), which then execs bwrap, so the PTY's process is bwrap itself: it keeps the
 * controlling terminal and killing it ends everything inside (`--die-with-parent`, pid namespace).
 */
export function linuxSandboxSpawn(l: LinuxLaunch): SandboxedSpawn {
  mkdirSync(l.policy.tempDir, { recursive: true, mode: PRIVATE_DIR_MODE })
  for (const w of l.policy.writable) mkdirSync(w, { recursive: true, mode: PRIVATE_DIR_MODE })
  const git = findGitLayout(l.policy.root)
  if (git?.branchRef) {
    // The branch's reflog folder must exist: git cannot create it under a read-only logs/.
    const logs = join(git.commonDir, 'logs', git.branchRef, '..')
    try {
      mkdirSync(logs, { recursive: true })
    } catch {
      // A read-only repository: commits fail inside as they would outside.
    }
  }
  let filter: string | null = null
  if (l.seccompDir && l.arch) {
    mkdirSync(l.seccompDir, { recursive: true, mode: PRIVATE_DIR_MODE })
    filter = join(l.seccompDir, `tiocsti-${l.arch}.bpf`)
    writeFileSync(filter, tiocstiFilterBytes(l.arch))
  }
  const args = bwrapArgs({
    policy: l.policy,
    git,
    cwd: l.cwd,
    seccomp: filter !== null,
    kind: pathKind,
  })
  const inner = [...args, '--', l.file, ...l.args]
  if (!filter) return { file: l.bwrap, args: inner }
  return {
    file: '/bin/sh',
    args: ['-c', 'f=$1; shift; exec "$0" "$@" 3<"$f"', l.bwrap, filter, ...inner],
  }
}
