import ignore from 'ignore'
import type { Ignore } from 'ignore'
import { join } from 'node:path'
import { errnoCode, isMissing } from './errors'
import type { CheckpointFs } from '../git/fs-ops'
import type { UserRepo } from '../git/git-repo'

/** Per-folder ignore files, in rising precedence within a folder. */
export const IGNORE_FILE_NAMES = ['.gitignore', '.paddockignore'] as const

/** Rules that live above the workspace root (global, `info/exclude`, the enclosing repo's folders). */
interface Anchored {
  matcher: Ignore
  /** What to put before a root-relative path to make it relative to the rules' folder. */
  prefix: string
}

/**
 * What the store does not capture, as git decides it: the global excludes file, the repository's
 * `info/exclude`, every `.gitignore` from the repository's top down to the path's folder (deeper
 * wins, `!` re-includes), plus `.paddockignore` files read like `.gitignore` (above it in the same
 * folder). An ignored folder hides everything below it. Files are read lazily and cached until
 * `invalidate()` (the store calls it when an ignore file changes).
 */
export class IgnoreRules {
  private base: Promise<Anchored[]> | null = null
  private readonly perDir = new Map<string, Promise<Ignore[]>>()
  private readonly dirIgnored = new Map<string, Promise<boolean>>()
  // The same, once known: a walk then decides without awaiting anything.
  private baseDone: Anchored[] | null = null
  private readonly perDirDone = new Map<string, Ignore[]>()
  private readonly dirIgnoredDone = new Map<string, boolean>()

  constructor(
    private readonly fs: CheckpointFs,
    private readonly root: string,
    private readonly repo: UserRepo | null,
    private readonly globalExcludes: string | null,
  ) {}

  invalidate(): void {
    this.base = null
    this.perDir.clear()
    this.dirIgnored.clear()
    this.baseDone = null
    this.perDirDone.clear()
    this.dirIgnoredDone.clear()
  }

  /**
   * The answer when every rule file it needs has been read already (the common case in a walk,
   * which reads a folder's files before its entries), else undefined: ask `isIgnored`.
   */
  ignoredNow(rel: string, isDir: boolean): boolean | undefined {
    const slash = rel.lastIndexOf('/')
    if (slash > 0) {
      const parent = rel.slice(0, slash)
      let p = this.dirIgnoredDone.get(parent)
      if (p === undefined) {
        p = this.ignoredNow(parent, true)
        if (p === undefined) return undefined
        this.dirIgnoredDone.set(parent, p)
      }
      if (p) return true
    }
    if (!this.baseDone) return undefined
    const parts = rel.split('/')
    const levels: Ignore[][] = []
    for (let depth = 0; depth < parts.length; depth++) {
      const found = this.perDirDone.get(parts.slice(0, depth).join('/'))
      if (!found) return undefined
      levels.push(found)
    }
    let decision = false
    const apply = (m: Ignore, sub: string): void => {
      const r = m.test(isDir ? `${sub}/` : sub)
      if (r.ignored) decision = true
      else if (r.unignored) decision = false
    }
    for (const a of this.baseDone) apply(a.matcher, a.prefix + rel)
    levels.forEach((ms, depth) => {
      if (ms.length === 0) return
      const sub = parts.slice(depth).join('/')
      for (const m of ms) apply(m, sub)
    })
    return decision
  }

  /**
   * Read the rule files a walk of `dir`'s entries needs, so `ignoredNow` can answer for them.
   * `names`: the folder's entries (a walk just listed them), to skip ignore files it lacks.
   */
  async prepare(dir: string, names?: ReadonlySet<string>): Promise<void> {
    await this.baseMatchers()
    const parts = dir === '' ? [] : dir.split('/')
    for (let depth = 0; depth < parts.length; depth++) {
      await this.dirMatchers(parts.slice(0, depth).join('/'))
    }
    await this.dirMatchers(dir, names)
  }

  /** `rel`: `/`-separated, relative to the workspace root, not empty. */
  async isIgnored(rel: string, isDir: boolean): Promise<boolean> {
    const slash = rel.lastIndexOf('/')
    if (slash > 0 && (await this.isDirIgnored(rel.slice(0, slash)))) return true
    return this.matchOwn(rel, isDir)
  }

  private isDirIgnored(dir: string): Promise<boolean> {
    let found = this.dirIgnored.get(dir)
    if (!found) {
      found = this.isIgnored(dir, true)
      this.dirIgnored.set(dir, found)
    }
    return found
  }

  private async matchOwn(rel: string, isDir: boolean): Promise<boolean> {
    let decision = false
    const apply = (m: Ignore, sub: string): void => {
      const r = m.test(isDir ? `${sub}/` : sub)
      if (r.ignored) decision = true
      else if (r.unignored) decision = false
    }
    for (const a of await this.baseMatchers()) apply(a.matcher, a.prefix + rel)
    const parts = rel.split('/')
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/')
      const sub = parts.slice(depth).join('/')
      for (const m of await this.dirMatchers(dir)) apply(m, sub)
    }
    return decision
  }

  private baseMatchers(): Promise<Anchored[]> {
    if (!this.base) {
      const loading = this.loadBase()
      this.base = loading
      void loading.then((b) => {
        if (this.base === loading) this.baseDone = b
      })
    }
    return this.base
  }

  private async loadBase(): Promise<Anchored[]> {
    const out: Anchored[] = []
    const repoPrefix = this.repo && this.repo.prefix ? `${this.repo.prefix}/` : ''
    const add = (text: string | null, prefix: string): void => {
      if (text !== null) out.push({ matcher: ignore({ ignorecase: false }).add(text), prefix })
    }
    if (this.globalExcludes) add(await this.read(this.globalExcludes), repoPrefix)
    if (this.repo) {
      add(await this.read(join(this.repo.commondir, 'info', 'exclude')), repoPrefix)
      // .gitignore files of the enclosing repository's folders above the workspace root.
      const segments = this.repo.prefix ? this.repo.prefix.split('/') : []
      for (let i = 0; i < segments.length; i++) {
        const dir = join(this.repo.top, ...segments.slice(0, i))
        const rest = segments.slice(i).join('/')
        for (const name of IGNORE_FILE_NAMES) add(await this.read(join(dir, name)), `${rest}/`)
      }
    }
    // A workspace that is itself an ignored folder of the enclosing repository (a `build/` opened
    // on purpose) is still captured: those outer rules would hide all of it.
    if (repoPrefix) {
      let rootIgnored = false
      for (const a of out) {
        const r = a.matcher.test(`${a.prefix.slice(0, -1)}/`)
        if (r.ignored) rootIgnored = true
        else if (r.unignored) rootIgnored = false
      }
      if (rootIgnored) return []
    }
    return out
  }

  /** `names`: the folder's entries, when known — ignore files absent there are not read. */
  private dirMatchers(dir: string, names?: ReadonlySet<string>): Promise<Ignore[]> {
    let found = this.perDir.get(dir)
    if (!found) {
      const loading = this.loadDir(dir, names)
      void loading.then((out) => {
        if (this.perDir.get(dir) === loading) this.perDirDone.set(dir, out)
      })
      found = loading
      this.perDir.set(dir, found)
    }
    return found
  }

  private async loadDir(dir: string, names?: ReadonlySet<string>): Promise<Ignore[]> {
    const out: Ignore[] = []
    for (const name of IGNORE_FILE_NAMES) {
      if (names && !names.has(name)) continue
      const text = await this.read(join(this.root, dir, name))
      if (text !== null) out.push(ignore({ ignorecase: false }).add(text))
    }
    return out
  }

  private async read(path: string): Promise<string | null> {
    try {
      return (await this.fs.readFile(path)).toString('utf8')
    } catch (err) {
      // No file is the common case; an unreadable one is treated the same (capturing more is the
      // safe side).
      const code = errnoCode(err)
      if (isMissing(err) || code === 'EACCES' || code === 'EISDIR' || code === 'EPERM') return null
      throw err
    }
  }
}

/** Whether a changed path is an ignore file (its change invalidates the rules). */
export function isIgnoreFile(rel: string): boolean {
  const name = rel.slice(rel.lastIndexOf('/') + 1)
  return (IGNORE_FILE_NAMES as readonly string[]).includes(name)
}
