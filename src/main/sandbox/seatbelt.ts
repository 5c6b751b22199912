import { isWithin } from '../core/within'
import type { GitMount } from './bwrap-args'
import type { SandboxPolicy } from './policy'

/** A string as a Seatbelt (SBPL) literal. */
function lit(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/**
 * The Seatbelt profile `sandbox-exec -p` runs the shell under on macOS: everything allowed but
 * writes (only the session's folder, the temp folder, the writable folders and the terminal
 * devices), git's exceptions in order, no reads of the hidden paths, no writes to the read-only
 * files, and no network unless shared (loopback included). In SBPL a later rule wins.
 */
export function seatbeltProfile(policy: SandboxPolicy, git: GitMount[] = []): string {
  const lines = ['(version 1)', '(allow default)', '(deny file-write*)']
  const writable = [policy.root, policy.tempDir, ...policy.writable]
  lines.push(
    `(allow file-write* ${writable.map((p) => `(subpath ${lit(p)})`).join(' ')}` +
      ` (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/ttys[0-9]+$"))`,
  )
  if (policy.hidden.length > 0) {
    lines.push(
      `(deny file-read* file-write* ${policy.hidden.map((p) => `(subpath ${lit(p)})`).join(' ')})`,
    )
    // The private temp folder, the spill folder (and a sandboxed MCP server's own folder) lie in
    // Paddock's hidden data folder: allowed again after it, since a later rule wins.
    const inside = writable.filter((w) => policy.hidden.some((h) => h !== w && isWithin(h, w)))
    if (inside.length > 0) {
      lines.push(
        `(allow file-read* file-write* ${inside.map((p) => `(subpath ${lit(p)})`).join(' ')})`,
      )
    }
  }
  for (const m of git) {
    lines.push(`(${m.access === 'ro' ? 'deny' : 'allow'} file-write* (subpath ${lit(m.path)}))`)
  }
  if (policy.readOnly.length > 0) {
    const files = policy.readOnly.map((p) => `(subpath ${lit(p)})`).join(' ')
    lines.push(`(deny file-write* ${files})`)
  }
  for (const p of policy.readable) lines.push(`(allow file-read* (subpath ${lit(p)}))`)
  // Ways to have something started outside the sandbox on the agent's behalf: LaunchServices
  // (`open -a Terminal x.command`), AppleScript, and launchd jobs.
  lines.push(
    '(deny process-exec (literal "/usr/bin/open") (literal "/usr/bin/osascript") (literal "/bin/launchctl"))',
    '(deny mach-lookup (global-name "com.apple.coreservices.launchservicesd") (global-name "com.apple.coreservices.quarantine-resolver"))',
  )
  if (!policy.network) lines.push('(deny network*)')
  return lines.join('\n') + '\n'
}
