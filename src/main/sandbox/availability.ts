import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { seccompSupported } from './seccomp'

/** Whether the sandbox can start on this host, and if not, why and what to do. */
export type SandboxAvailability =
  { ok: true; bwrap: string; seccomp: boolean } | { ok: false; reason: string; fix: string }

const BWRAP_PATHS = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap']

/**
 * Probe the sandbox once: on Linux, start `true` under bwrap with the namespaces the sandbox uses.
 * macOS has sandbox-exec; Windows has no sandbox.
 */
export function probeSandbox(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): SandboxAvailability {
  if (platform === 'darwin') {
    return existsSync('/usr/bin/sandbox-exec')
      ? { ok: true, bwrap: '/usr/bin/sandbox-exec', seccomp: false }
      : { ok: false, reason: 'sandbox-exec is missing.', fix: 'Reinstall macOS command tools.' }
  }
  if (platform !== 'linux') {
    return {
      ok: false,
      reason: 'The sandbox is not available on Windows.',
      fix: 'Run Paddock inside WSL 2 to sandbox commands, or choose sandbox off.',
    }
  }
  const bwrap = BWRAP_PATHS.find((p) => existsSync(p))
  if (!bwrap) {
    return {
      ok: false,
      reason: 'bubblewrap (bwrap) is not installed.',
      fix: 'Install it: sudo apt install bubblewrap (Debian, Ubuntu), sudo dnf install bubblewrap (Fedora).',
    }
  }
  const r = spawnSync(
    bwrap,
    ['--unshare-user', '--unshare-pid', '--unshare-net', '--ro-bind', '/', '/', '--', 'true'],
    { encoding: 'utf8', timeout: 10_000 },
  )
  if (r.status !== 0) {
    const said = (r.stderr || r.error?.message || '').trim().split('\n')[0] ?? ''
    const apparmor = existsSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')
    return {
      ok: false,
      reason: `bubblewrap cannot create namespaces here${said ? ` (${said})` : ''}.`,
      fix: apparmor
        ? 'Ubuntu restricts unprivileged user namespaces: allow bwrap with an AppArmor profile (see docs/sandbox.md), or run: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0'
        : 'Enable user namespaces (sysctl kernel.unprivileged_userns_clone=1), or in a container start it with namespaces allowed.',
    }
  }
  return { ok: true, bwrap, seccomp: seccompSupported(arch) }
}
