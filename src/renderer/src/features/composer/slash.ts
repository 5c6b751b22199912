/**
 * Slash commands in the composer: `/compact [focus]` and `/skill-name …` (a skill invoked; the
 * host loads its instructions into the prompt). Pure text functions; the picker asks the host
 * for the skills.
 */

export interface SlashItem {
  name: string
  description: string
  kind: 'command' | 'skill'
  /** A skill left out of the model's index (only `/name` uses it). */
  hidden?: boolean
}

/** The commands the composer runs itself (a skill of the same name is reached only by the model). */
export const SLASH_COMMANDS: readonly SlashItem[] = [
  {
    name: 'compact',
    description: 'Summarise the older conversation now (say what to focus on after it)',
    kind: 'command',
  },
]

/**
 * What is typed after a `/` at the very start of the text while the caret is in that first word,
 * or null: commands and skills are invoked only there.
 */
export function slashQueryAt(text: string, caret: number): string | null {
  const m = /^\/([a-z0-9-]*)(?=\s|$)/i.exec(text)
  if (!m) return null
  const end = m[0].length
  if (caret < 1 || caret > end) return null
  return m[1]!.toLowerCase()
}

/** Items whose name starts with the query first, then those containing it; each group by name. */
export function matchSlash(items: readonly SlashItem[], query: string): SlashItem[] {
  const starts = items.filter((i) => i.name.startsWith(query))
  const contains = items.filter((i) => !i.name.startsWith(query) && i.name.includes(query))
  const byName = (a: SlashItem, b: SlashItem): number => (a.name < b.name ? -1 : 1)
  return [...starts.sort(byName), ...contains.sort(byName)]
}

/** The text with its first word replaced by `/name ` and the caret after the space. */
export function insertSlash(text: string, name: string): { text: string; caret: number } {
  const rest = text.replace(/^\/\S*/, '').replace(/^[ \t]/, '')
  const token = `/${name} `
  return { text: token + rest, caret: token.length }
}
