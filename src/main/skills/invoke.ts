import type { UserMessage } from '../../shared/entries'
import type { SkillPlaces } from './discovery'
import { discoverSkills } from './discovery'

/** Most characters of a skill's body put into a prompt; a longer one is cut with a note. */
export const MAX_INVOKED_BODY_CHARS = 64 * 1024

/** `/name` at the start of a prompt (after spaces), followed by a space, a line or the end. */
const INVOCATION = /^\s*\/([a-z0-9]+(?:-[a-z0-9]+)*)(?=\s|$)/

export type InvokedSkill = NonNullable<UserMessage['skill']>

/** The skill name a prompt starts with (`/name …`), or null. */
export function invokedSkillName(text: string): string | null {
  return INVOCATION.exec(text)?.[1] ?? null
}

/**
 * The skill a prompt invokes, loaded now so its body is recorded with the prompt (the request
 * is derived from the log, so a later edit of SKILL.md does not change what was sent). Null when
 * the prompt does not start with `/name` or no skill has that name: the text is then an ordinary
 * prompt (a path like `/usr/bin` stays one). A skill hidden from the model can be invoked.
 */
export function invokeSkill(text: string, places: SkillPlaces): InvokedSkill | null {
  const name = invokedSkillName(text)
  if (name === null) return null
  const skill = discoverSkills(places).skills.find((s) => s.name === name)
  if (!skill) return null
  let body = skill.body.trimEnd()
  if (body.length > MAX_INVOKED_BODY_CHARS) {
    body = `${body.slice(0, MAX_INVOKED_BODY_CHARS)}\n[… cut at ${MAX_INVOKED_BODY_CHARS} characters; read ${skill.path} for the rest]`
  }
  return { name: skill.name, path: skill.path, body }
}

/**
 * What the model is sent for a prompt: with a skill invoked, its instructions in a `<skill>`
 * block before the user's words; without one, the words alone.
 */
export function promptText(message: UserMessage): string {
  const skill = message.skill
  if (!skill) return message.text
  return (
    `<skill name="${skill.name}" path="${skill.path}">\n` +
    `The user invoked this skill; follow its instructions. Paths in it are relative to its folder.\n\n` +
    `${skill.body}\n</skill>\n\n${message.text}`
  )
}
