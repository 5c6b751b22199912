import { z } from 'zod'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Sandbox: how the agent's shell is confined on this host (settings `sandbox.mode` and
// `sandbox.network`, or a host-wide `paddock run --sandbox`), and why it cannot start if it cannot.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

export const SandboxStatusSchema = z.object({
  /** `workspace-write`: writes only to the session's folder; `off`: unconfined. */
  mode: z.enum(['off', 'workspace-write']),
  /** Whether the confined shell may use the network. */
  network: z.boolean(),
  /**
   * Why the sandbox cannot start here, with the fix: when it is wanted, the agent's shell does not
   * start until it is fixed or the user chooses `off`. Null when it works (or is off, but on
   * Windows, which has none).
   */
  unavailable: z.string().nullable(),
})
export type SandboxStatus = z.infer<typeof SandboxStatusSchema>

export const sandboxMethods = {
  /** The sandbox the agent's shells start in from now on. */
  'sandbox.status': {
    input: z.object({}).strict(),
    output: SandboxStatusSchema,
  },
} as const
