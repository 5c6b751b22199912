import { z } from 'zod'

/** What the sessions table keeps of a worktree session (the `worktree` column, JSON). */
export const StoredWorktreeSchema = z.object({
  path: z.string().min(1),
  branch: z.string().min(1),
  base: z.string().min(1),
  /** The commit the branch started at. */
  baseCommit: z.string(),
  slug: z.string().min(1),
  /** The repository's main checkout (the workspace folder's repository root). */
  repoRoot: z.string().min(1),
  /**
   * The workspace folder's place inside its repository (`packages/app`), when it is not the top:
   * the session works in the same place of its worktree. Empty or absent: the top.
   */
  subdir: z.string().optional(),
})
export type StoredWorktree = z.infer<typeof StoredWorktreeSchema>

/** The column's value, or null (none, or a value that does not parse). */
export function parseStoredWorktree(text: string | null): StoredWorktree | null {
  if (!text) return null
  try {
    const parsed = StoredWorktreeSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}
