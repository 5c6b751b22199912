import { execFileSync } from 'node:child_process'

/** git in `cwd`, its output as text (throws when git fails). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' })
}

/**
 * Make the project a git repository with everything in one commit on `main`, with its own author
 * (the host's HOME has no git config): for `startSessionHost({ prepare })`.
 */
export function initRepo(project: string): void {
  git(project, 'init', '-q', '-b', 'main')
  git(project, 'config', 'user.email', 'e2e@example.com')
  git(project, 'config', 'user.name', 'E2E')
  git(project, 'add', '-A')
  git(project, 'commit', '-qm', 'first')
}
