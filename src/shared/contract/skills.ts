import { z } from 'zod'
import { IdSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Agent Skills: folders holding a SKILL.md (frontmatter `name` and `description`, then
// instructions), found in the workspace and in the user's home folder. The model sees an index of
// them in its system prompt and reads a body with `read` when it needs it; the user invokes one
// with `/name` at the start of a prompt. Problems with a skill are listed, never fatal.
// Errors: `not_found` (no such workspace).
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Longest skill name (the Agent Skills format's limit), in characters. */
export const MAX_SKILL_NAME_CHARS = 64
/** Longest skill description (the format's limit), in characters. */
export const MAX_SKILL_DESCRIPTION_CHARS = 1024

/**
 * Where a skill was found, in precedence order: the workspace's `.agents/skills`, its
 * `.paddock/skills`, then the home folder's `~/.agents/skills` and `~/.paddock/skills`.
 */
export const SkillSourceSchema = z.enum([
  'workspace-agents',
  'workspace-paddock',
  'user-agents',
  'user-paddock',
])
export type SkillSource = z.infer<typeof SkillSourceSchema>

export const SkillSchema = z.object({
  name: z.string(),
  description: z.string(),
  /** Absolute path of its SKILL.md. */
  path: z.string(),
  source: SkillSourceSchema,
  /** The skills folder it was found in (absolute). */
  folder: z.string(),
  /** `disable-model-invocation: true`: left out of the model's index; `/name` still invokes it. */
  hiddenFromModel: z.boolean(),
})
export type Skill = z.infer<typeof SkillSchema>

export const SkillProblemSchema = z.object({
  /** The SKILL.md (or folder) the problem is in, absolute. */
  path: z.string(),
  /** One sentence: what is wrong and what to change. */
  message: z.string(),
  /** `error`: the skill is not loaded; `warning`: it is loaded anyway. */
  severity: z.enum(['error', 'warning']),
})
export type SkillProblem = z.infer<typeof SkillProblemSchema>

export const SkillListSchema = z.object({
  /** Loaded skills, sorted by name; a name found twice is the first source's. */
  skills: z.array(SkillSchema),
  problems: z.array(SkillProblemSchema),
  /** The folders searched, in precedence order, whether or not they exist. */
  folders: z.array(z.object({ source: SkillSourceSchema, path: z.string() })),
})
export type SkillList = z.infer<typeof SkillListSchema>

export const skillsMethods = {
  /** The skills a session in the workspace sees; without a workspace, the user's own. */
  'skills.list': {
    input: z.object({ workspaceId: IdSchema.optional() }).strict(),
    output: SkillListSchema,
  },
} as const
