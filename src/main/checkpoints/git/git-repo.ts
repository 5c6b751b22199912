import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { isMissing } from './fs-ops'
import type { CheckpointFs } from './fs-ops'

/** The user's git repository that contains a workspace, as far as the store needs it (read only). */
export interface UserRepo {
  /** Top of the work tree (the workspace root itself, or an ancestor). */
  top: string
  /** The workspace root relative to `top` ('' when they are the same), `/`-separated. */
  prefix: string
  /** The git directory (`.git`, or where a `.git` file points for worktrees and submodules). */
  gitdir: string
  /** Where objects, `info/exclude` and config live (a linked worktree shares its main repo's). */
  commondir: string
}

async function readText(fs: CheckpointFs, path: string): Promise<string | null> {
  try {
    return (await fs.readFile(path)).toString('utf8')
  } catch (err) {
    if (isMissing(err) || (err as { code?: string }).code === 'EACCES') return null
    throw err
  }
}

/**
 * Find the repository whose work tree holds `root`, walking up from it. The walk stops below
 * `home` and the filesystem root: a dotfiles repository in the home folder (often ignoring `*`)
 * must not make a project inside it invisible.
 */
export async function findUserRepo(
  fs: CheckpointFs,
  root: string,
  home: string,
): Promise<UserRepo | null> {
  let dir = root
  for (;;) {
    if (dir === home) return null
    const dotGit = join(dir, '.git')
    let gitdir: string | null = null
    try {
      const st = await fs.lstat(dotGit)
      if (st.isDirectory) gitdir = dotGit
      else if (st.isFile) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec((await readText(fs, dotGit)) ?? '')
        if (m) gitdir = isAbsolute(m[1]!) ? m[1]! : resolve(dir, m[1]!)
      }
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    if (gitdir) {
      const common = (await readText(fs, join(gitdir, 'commondir')))?.trim()
      const commondir = common ? resolve(gitdir, common) : gitdir
      const prefix = relative(dir, root).split('\\').join('/')
      return { top: dir, prefix, gitdir, commondir }
    }
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

/** Where git would look for the user's global config and ignore files. */
export interface GitUserEnv {
  home: string
  /** `$XDG_CONFIG_HOME`, if set. */
  xdgConfigHome?: string
}

function configValue(text: string, section: string, key: string): string | undefined {
  let current = ''
  let found: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"[^"]*")?\s*\]/.exec(line)
    if (header) {
      current = header[1]!.toLowerCase()
      continue
    }
    if (current !== section) continue
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*=\s*(.*)$/.exec(line)
    if (!kv || kv[1]!.toLowerCase() !== key) continue
    let value = kv[2]!.replace(/\s[#;].*$/, '').trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value.slice(1, -1)
    }
    found = value
  }
  return found
}

/**
 * The global excludes file git would use: `core.excludesFile` from the XDG config, `~/.gitconfig`
 * or the repository's config (last wins), else `$XDG_CONFIG_HOME/git/ignore`
 * (`~/.config/git/ignore`). Null when the value cannot be resolved.
 */
export async function globalExcludesFile(
  fs: CheckpointFs,
  env: GitUserEnv,
  repo: UserRepo | null,
): Promise<string | null> {
  const xdg = env.xdgConfigHome && isAbsolute(env.xdgConfigHome) ? env.xdgConfigHome : null
  const configDir = xdg ? join(xdg, 'git') : join(env.home, '.config', 'git')
  const configs = [join(configDir, 'config'), join(env.home, '.gitconfig')]
  if (repo) configs.push(join(repo.commondir, 'config'))
  let value: string | undefined
  for (const file of configs) {
    const text = await readText(fs, file)
    const v = text === null ? undefined : configValue(text, 'core', 'excludesfile')
    if (v !== undefined) value = v
  }
  if (value === undefined) return join(configDir, 'ignore')
  if (value === '') return null
  if (value.startsWith('~/')) return join(env.home, value.slice(2))
  return isAbsolute(value) ? value : null
}
