import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Rule } from './rules'
import { WorkspacePermissionsSchema } from './rules'

export const WORKSPACE_PERMISSIONS_FILE = join('.paddock', 'permissions.json')

export interface WorkspaceRules {
  rules: Rule[]
  /** The file exists (whether or not it is applied). */
  exists: boolean
  /** Set when the file exists but was not used: untrusted workspace, or invalid content. */
  ignored?: string
}

/**
 * The workspace's own rules. A repository can ship `.paddock/permissions.json`, but a cloned repo
 * must not grant itself permissions: the file counts only once the user trusted the workspace.
 */
export function loadWorkspaceRules(workspaceRoot: string, trusted: boolean): WorkspaceRules {
  const file = join(workspaceRoot, WORKSPACE_PERMISSIONS_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return { rules: [], exists: false }
  }
  if (!trusted) {
    return {
      rules: [],
      exists: true,
      ignored: `${WORKSPACE_PERMISSIONS_FILE} is ignored until you trust this workspace.`,
    }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    return {
      rules: [],
      exists: true,
      ignored: `${WORKSPACE_PERMISSIONS_FILE} is not valid JSON: ${(err as Error).message}`,
    }
  }
  const parsed = WorkspacePermissionsSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {
      rules: [],
      exists: true,
      ignored: `${WORKSPACE_PERMISSIONS_FILE} is invalid (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`,
    }
  }
  return {
    rules: parsed.data.rules.map((r) => ({ ...r, source: 'workspace' as const })),
    exists: true,
  }
}
