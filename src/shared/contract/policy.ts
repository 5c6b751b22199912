import { z } from 'zod'
import { DecidingRuleSchema, SubcommandDecisionSchema } from '../entries'
import { IdSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Policy: what the agent may do without asking. A session runs in a mode; rules (built-in,
// workspace, session) decide each tool call: allow, ask or deny.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const ModeSchema = z.enum(['ask', 'auto-edit', 'full-auto', 'plan'])

/**
 * Permissions as data. A rule says what happens to calls of a tool whose target matches a pattern:
 * a path glob (relative to the workspace) for file tools, a command prefix for `bash`. Among all
 * sources, the last matching rule wins. The engine, `paddock settings` and the Settings view all
 * validate rules with this schema.
 */
export const ActionSchema = z.enum(['allow', 'ask', 'deny'])

/** Taken as written (a command prefix's spaces matter), but never empty or only spaces. */
const notBlank = (text: string): boolean => text.trim() !== ''

export const RuleSchema = z
  .object({
    /** A tool name, `*` for every tool, or `edit` for every tool that changes files. */
    tool: z.string().max(64).refine(notBlank, 'name a tool, or * for every tool'),
    /** Path glob for file tools, command prefix for bash, `*` for anything. */
    pattern: z.string().max(1000).refine(notBlank, 'give a pattern, or * for anything'),
    action: ActionSchema,
  })
  .strict()
export type RuleData = z.infer<typeof RuleSchema>

/** The user's rules as stored (`permissions.rules`), at most this many. */
export const MAX_USER_RULES = 500

export const policyMethods = {
  /** Which rule decides a tool call in a mode, and why (nothing runs). */
  'policy.preview': {
    input: z
      .object({
        workspaceId: IdSchema,
        mode: ModeSchema,
        tool: z.string().min(1).max(64),
        /** The call's arguments, e.g. {"command": "npm test"} or {"path": "src/a.ts"}. */
        arguments: z.record(z.string(), z.unknown()),
        /** Include session rules of this session. */
        sessionId: IdSchema.optional(),
        /**
         * Decide with these rules in place of the user's stored ones (a draft being edited); the
         * workspace's and the session's rules still apply above them.
         */
        userRules: z.array(RuleSchema).max(MAX_USER_RULES).optional(),
      })
      .strict(),
    output: z.object({
      action: z.enum(['allow', 'ask', 'deny']),
      reason: z.string(),
      rule: DecidingRuleSchema.nullable(),
      subcommands: z.array(SubcommandDecisionSchema).optional(),
    }),
  },
  /**
   * The rules below the session's for a workspace: the user's (from settings) and the workspace's
   * own file, with why that file is not applied when it is not (untrusted, invalid).
   */
  'policy.rules': {
    input: z.object({ workspaceId: IdSchema }).strict(),
    output: z.object({
      user: z.array(RuleSchema),
      workspace: z.object({
        /** The file's path, relative to the workspace root. */
        file: z.string(),
        /** The file's absolute path on the host. */
        path: z.string(),
        /** The file exists (applied or not). */
        exists: z.boolean(),
        rules: z.array(RuleSchema),
        /** Set when the file exists but is not applied. */
        ignored: z.string().optional(),
      }),
    }),
  },
} as const
