import { z } from 'zod'
import { DecidingRuleSchema, SubcommandDecisionSchema } from '../entries'
import { IdSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Policy: what the agent may do without asking. A session runs in a mode; rules (built-in,
// workspace, session) decide each tool call: allow, ask or deny.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const ModeSchema = z.enum(['ask', 'auto-edit', 'full-auto', 'plan'])

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
      })
      .strict(),
    output: z.object({
      action: z.enum(['allow', 'ask', 'deny']),
      reason: z.string(),
      rule: DecidingRuleSchema.nullable(),
      subcommands: z.array(SubcommandDecisionSchema).optional(),
    }),
  },
} as const
