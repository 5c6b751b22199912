import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { isWithin } from '../core/within'
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

/**
 * A folder mounted under /tmp lands in the private /tmp, which lies in Paddock's data folder: make
 * its mount points owner-only here (bwrap would make them with the umask).
 */
function preparePrivateTmp(args: string[], tempDir: string): void {
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]
    let source: string | undefined
    let dest: string | undefined
    if (flag === '--bind' || flag === '--ro-bind') [source, dest] = [args[i + 1], args[i + 2]]
    else if (flag === '--tmpfs') [source, dest] = [undefined, args[i + 1]]
    if (!dest || dest === '/tmp' || !isWithin('/tmp', dest)) continue
    const at = join(tempDir, relative('/tmp', dest))
    if (source && pathKind(source) === 'file') {
      mkdirSync(dirname(at), { recursive: true, mode: PRIVATE_DIR_MODE })
      if (!existsSync(at)) writeFileSync(at, '', { mode: 0o600 })
    } else mkdirSync(at, { recursive: true, mode: PRIVATE_DIR_MODE })
  }
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
  /** See `BwrapInput.newSession`. */
  newSession?: boolean
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
    writeFileSync(filter, tiocstiFilterBytes(l.arch), { mode: 0o600 })
  }
  const args = bwrapArgs({
    policy: l.policy,
    git,
    cwd: l.cwd,
    seccomp: filter !== null,
    kind: pathKind,
    ...(l.newSession ? { newSession: true } : {}),
  })
  preparePrivateTmp(args, l.policy.tempDir)
  const inner = [...args, '--', l.file, ...l.args]
  if (!filter) return { file: l.bwrap, args: inner }
  return {
    file: '/bin/sh',
    args: ['-c', 'f=$1; shift; exec "$0" "$@" 3<"$f"', l.bwrap, filter, ...inner],
  }
}
