import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { Skill, SkillList, SkillProblem, SkillSource } from '../../shared/contract/skills'
import { MAX_SKILL_DESCRIPTION_CHARS, MAX_SKILL_NAME_CHARS } from '../../shared/contract/skills'
import { isWithin } from '../core/within'
import { parseFrontmatter } from './frontmatter'

/** Largest SKILL.md read, in bytes: a longer one is reported, not loaded. */
export const MAX_SKILL_FILE_BYTES = 256 * 1024
/** Skill folders read per skills folder, at most (in name order); the rest are reported. */
export const MAX_SKILLS_PER_FOLDER = 200

/** Where skills are looked for. */
export interface SkillPlaces {
  /** The session's root (its worktree, else the workspace folder); absent: user skills only. */
  workspaceRoot?: string
  /** The user's home folder. */
  home: string
}

/** A skill as loaded: its listing plus its folder and the instructions below its frontmatter. */
export interface LoadedSkill extends Skill {
  /** The skill's own folder (holding SKILL.md), absolute, as found (symlinks kept). */
  dir: string
  body: string
}

export interface Discovery extends Omit<SkillList, 'skills'> {
  skills: LoadedSkill[]
}

/**
 * The skills folders in precedence order: the workspace's before the user's (a project's skill
 * overrides a personal one of the same name), and `.agents` before `.paddock` in each (the
 * shared, tool-neutral folder first).
 */
export function skillFolders(places: SkillPlaces): { source: SkillSource; path: string }[] {
  const ws = places.workspaceRoot
  return [
    ...(ws
      ? [
          { source: 'workspace-agents' as const, path: join(ws, '.agents', 'skills') },
          { source: 'workspace-paddock' as const, path: join(ws, '.paddock', 'skills') },
        ]
      : []),
    { source: 'user-agents', path: join(places.home, '.agents', 'skills') },
    { source: 'user-paddock', path: join(places.home, '.paddock', 'skills') },
  ]
}

/** A name as the Agent Skills format allows: lowercase letters, digits, single inner hyphens. */
const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const NameSchema = z
  .string({ message: 'has no "name"' })
  .min(1, 'has an empty "name"')
  .max(MAX_SKILL_NAME_CHARS, `has a "name" longer than ${MAX_SKILL_NAME_CHARS} characters`)
  .regex(
    NAME,
    'has a "name" that is not lowercase letters, digits and single hyphens (not at either end)',
  )

const FieldsSchema = z.object({
  description: z
    .string({
      message: 'has no "description"; add one saying what the skill does and when to use it',
    })
    .trim()
    .min(1, 'has an empty "description"; say what the skill does and when to use it')
    .max(
      MAX_SKILL_DESCRIPTION_CHARS,
      `has a "description" longer than ${MAX_SKILL_DESCRIPTION_CHARS} characters; shorten it`,
    ),
  'disable-model-invocation': z
    .boolean({ message: 'has a "disable-model-invocation" that is not true or false' })
    .optional(),
})

/**
 * Every skill the places hold, with what is wrong with the rest. A folder counts when it holds a
 * SKILL.md (a symlinked folder is followed). A name found again in a later folder is shadowed
 * (listed as a warning); an unreadable file, a frontmatter that does not parse or a missing
 * description leaves the skill out (an error); a bad or mismatched name keeps it, under its
 * folder's name (a warning). Synchronous: a few small files, read when a run starts or a prompt
 * names a skill, before anything is recorded.
 */
export function discoverSkills(places: SkillPlaces): Discovery {
  const folders = skillFolders(places)
  const problems: SkillProblem[] = []
  const byName = new Map<string, LoadedSkill>()
  for (const folder of folders) {
    let names: string[]
    try {
      names = readdirSync(folder.path).sort()
    } catch {
      continue
    }
    names = names.filter((n) => !n.startsWith('.'))
    if (names.length > MAX_SKILLS_PER_FOLDER) {
      problems.push({
        path: folder.path,
        message: `Only the first ${MAX_SKILLS_PER_FOLDER} of ${names.length} folders are read; move the others elsewhere.`,
        severity: 'warning',
      })
      names = names.slice(0, MAX_SKILLS_PER_FOLDER)
    }
    for (const name of names) {
      const dir = join(folder.path, name)
      const file = join(dir, 'SKILL.md')
      if (!isDirectory(dir) || !isFile(file)) continue
      const loaded = loadSkill(file, folder, problems)
      if (!loaded) continue
      const first = byName.get(loaded.name)
      if (first) {
        problems.push({
          path: file,
          message: `Not loaded: the skill "${loaded.name}" in ${first.folder} takes precedence.`,
          severity: 'warning',
        })
        continue
      }
      byName.set(loaded.name, loaded)
    }
  }
  const skills = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  return { skills, problems, folders }
}

function loadSkill(
  file: string,
  folder: { source: SkillSource; path: string },
  problems: SkillProblem[],
): LoadedSkill | null {
  const error = (message: string): null => {
    problems.push({ path: file, message: `Not loaded: ${message}`, severity: 'error' })
    return null
  }
  let text: string
  try {
    const size = statSync(file).size
    if (size > MAX_SKILL_FILE_BYTES) {
      return error(`SKILL.md is ${size} bytes; the limit is ${MAX_SKILL_FILE_BYTES}.`)
    }
    text = readFileSync(file, 'utf8')
  } catch (err) {
    return error(`SKILL.md could not be read (${(err as NodeJS.ErrnoException).code ?? err}).`)
  }
  const parsed = parseFrontmatter(text)
  if (!parsed.ok) return error(parsed.message)
  const fields = FieldsSchema.safeParse(parsed.fields)
  if (!fields.success)
    return error(`its frontmatter ${fields.error.issues[0]?.message ?? 'is invalid'}.`)
  const dir = dirname(file)
  const folderName = basename(dir)
  const named = NameSchema.safeParse(parsed.fields['name'])
  let name: string
  if (!named.success) {
    const why = named.error.issues[0]?.message ?? 'has an invalid "name"'
    problems.push({
      path: file,
      message: `Its frontmatter ${why}; loaded as "${folderName}", its folder's name.`,
      severity: 'warning',
    })
    name = folderName
  } else {
    name = named.data
    if (name !== folderName) {
      problems.push({
        path: file,
        message: `Its name "${name}" does not match its folder "${folderName}"; rename one so they match.`,
        severity: 'warning',
      })
    }
  }
  return {
    name,
    description: fields.data.description,
    path: file,
    source: folder.source,
    folder: folder.path,
    hiddenFromModel: fields.data['disable-model-invocation'] === true,
    dir,
    body: parsed.body,
  }
}

/**
 * The folders a `read` may reach outside the workspace so the model can follow the index: the
 * user-level skills folders and, for a skill folder that is a symlink, where it really is.
 */
export function skillReadRoots(discovery: Discovery): string[] {
  const roots = new Set<string>()
  for (const f of discovery.folders) {
    if (f.source.startsWith('user-')) roots.add(f.path)
  }
  for (const s of discovery.skills) {
    if (!s.source.startsWith('user-')) continue
    try {
      const real = realpathSync(s.dir)
      const known = [...roots].flatMap((r) => [r, realOr(r)])
      if (!known.some((r) => isWithin(r, real))) roots.add(real)
    } catch {
      // Gone since it was found: nothing to allow.
    }
  }
  return [...roots]
}

function realOr(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
