import { z } from 'zod'

/**
 * Payload of the `branch_point` entry a conversation rewind appends under the entry rewound to.
 * The leaf moves to it; the next prompt continues from it.
 */
export const RewindPayloadSchema = z.object({
  kind: z.literal('rewind'),
  /** One line for people. */
  text: z.string(),
  /** The leaf before the rewind: undo goes back there. */
  from: z.string().nullable(),
  /** The checkpoint rewound to, when the rewind came from one. */
  checkpointId: z.string().optional(),
  /** Files were restored with it (scope "both"): undo puts them back too. */
  withFiles: z.boolean().optional(),
  /**
   * What the agent's next request is told (files were not rewound and later steps changed some);
   * absent when there is nothing to tell.
   */
  notice: z.string().optional(),
})
export type RewindPayload = z.infer<typeof RewindPayloadSchema>
