import { relative, sep } from 'node:path'
import { isWithin } from '../core/within'
import type { LoadedSkill } from './discovery'

/** The share of the model's context window the skills index may take. */
export const SKILLS_INDEX_WINDOW_SHARE = 0.02
/** Characters per token the index's budget assumes (the engine's usual estimate). */
const CHARS_PER_TOKEN = 4
/** Descriptions are shortened down to this many characters before entries are dropped. */
export const MIN_INDEX_DESCRIPTION_CHARS = 40

/** The fixed lines that open and close the section: found again to replace it (`replaceSkillsSection`). */
const HEAD =
  '# Skills\n' +
  'Skills are folders of instructions for particular tasks. When a task matches a skill’s ' +
  'description, read its SKILL.md with the read tool first and follow it; paths it mentions are ' +
  'relative to its folder. The user may also invoke one with /name.\n' +
  '<skills>'
const TAIL = '</skills>'

export interface IndexEntry {
  name: string
  description: string
  /** As the model should pass it to `read`: relative to the workspace inside it, else absolute. */
  path: string
}

/** The skills the model is told of: sorted by name, hidden ones left out, paths as `read` takes them. */
export function indexEntries(skills: readonly LoadedSkill[], workspaceRoot: string): IndexEntry[] {
  return skills
    .filter((s) => !s.hiddenFromModel)
    .map((s) => ({
      name: s.name,
      description: oneLine(s.description),
      path: isWithin(workspaceRoot, s.path)
        ? relative(workspaceRoot, s.path).split(sep).join('/')
        : s.path,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The index's budget in characters for a model window of `windowTokens`. */
export function indexBudgetChars(windowTokens: number): number {
  return Math.floor(windowTokens * SKILLS_INDEX_WINDOW_SHARE * CHARS_PER_TOKEN)
}

/**
 * The system prompt's skills section, or '' when there is no skill to list. Deterministic: the
 * same skills and budget give the same bytes. Within `budgetChars`, every description whole; over
 * it, descriptions are cut to one common length (not below {@link MIN_INDEX_DESCRIPTION_CHARS});
 * still over, the last entries (by name) are dropped and a line says how many.
 */
export function skillsSection(entries: readonly IndexEntry[], budgetChars: number): string {
  if (entries.length === 0) return ''
  const full = render(entries, Infinity, 0)
  if (full.length <= budgetChars) return full
  // The longest common description length that fits, by halving.
  let lo = MIN_INDEX_DESCRIPTION_CHARS
  let hi = Math.max(...entries.map((e) => e.description.length))
  if (render(entries, lo, 0).length <= budgetChars) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (render(entries, mid, 0).length <= budgetChars) lo = mid
      else hi = mid - 1
    }
    return render(entries, lo, 0)
  }
  let kept = entries.length
  while (
    kept > 0 &&
    render(entries.slice(0, kept), lo, entries.length - kept).length > budgetChars
  ) {
    kept--
  }
  return render(entries.slice(0, kept), lo, entries.length - kept)
}

function render(entries: readonly IndexEntry[], maxDescription: number, dropped: number): string {
  const lines = entries.map(
    (e) => `- ${e.name}: ${shorten(e.description, maxDescription)} (${e.path})`,
  )
  if (dropped > 0) {
    lines.push(
      `(${dropped} more skill${dropped === 1 ? '' : 's'} not listed: the index is limited to a share of the context window.)`,
    )
  }
  return [HEAD, ...lines, TAIL].join('\n')
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

const SECTION = new RegExp(`${escape(HEAD)}\\n[\\s\\S]*?\\n${escape(TAIL)}`)

/**
 * A stored system prompt with its skills section replaced by `section` (removed when ''), or
 * added before the project instructions (or at the end) when it had none. The rest is kept byte
 * for byte.
 */
export function replaceSkillsSection(system: string, section: string): string {
  if (SECTION.test(system)) {
    if (section) return system.replace(SECTION, () => section)
    return system.replace(new RegExp(`\\n\\n${SECTION.source}`), '')
  }
  if (!section) return system
  const at = system.indexOf('\n\n# Project instructions\n')
  if (at >= 0) return `${system.slice(0, at)}\n\n${section}${system.slice(at)}`
  return `${system.replace(/\n$/, '')}\n\n${section}\n`
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
