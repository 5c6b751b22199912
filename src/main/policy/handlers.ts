import { join } from 'node:path'
import type { Logger } from '../core/logger'
import type { Handlers } from '../host/dispatcher'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import { decide } from './decide'
import type { Rule, RuleData } from './rules'
import type { WorkspaceRules } from './sources'
import { loadWorkspaceRules, WORKSPACE_PERMISSIONS_FILE } from './sources'

/** Where the rules below a mode come from: the user's settings and the workspace's own file. */
export interface RuleSources {
  /** The user's rules, then the workspace's (untrusted workspaces have none). */
  forWorkspace(workspaceId: string): Rule[]
  /** The user's rules alone (none when the setting is unreadable). */
  user(): Rule[]
  /** The workspace's own file: its rules when applied, and why not when it is not. */
  workspace(workspaceId: string): WorkspaceRules & { root: string }
}

export function ruleSources(deps: {
  settings: Settings
  store: Store
  logger: Logger
}): RuleSources {
  const { settings, store, logger } = deps
  /** The user's own rules (settings), above the mode's and below the workspace's. */
  const userRules = (): Rule[] =>
    (settings.read('permissions.rules', logger, 'no rule of yours applies') ?? []).map((r) => ({
      ...r,
      source: 'user' as const,
    }))
  const workspace = (workspaceId: string): WorkspaceRules & { root: string } => {
    const ws = store.getWorkspace(workspaceId)
    return { ...loadWorkspaceRules(ws.path, ws.trusted), root: ws.path }
  }
  const workspaceRules = (workspaceId: string): Rule[] => {
    const loaded = workspace(workspaceId)
    if (loaded.ignored)
      logger.log('info', 'workspace rules not applied', { reason: loaded.ignored })
    return loaded.rules
  }
  return {
    forWorkspace: (id) => [...userRules(), ...workspaceRules(id)],
    user: userRules,
    workspace,
  }
}

export interface PolicyHandlerDeps {
  store: Store
  /** The home folder and Paddock's data folder, which the policy protects. */
  home: string
  dataDir: string
  rules: RuleSources
  /** The rules a live session runs with (its session-wide allowances included), if it has a run. */
  sessionRules: (sessionId: string) => Rule[] | undefined
}

/** A rule as clients see it: its data, without where it came from. */
function ruleData(r: Rule): RuleData {
  return { tool: r.tool, pattern: r.pattern, action: r.action }
}

/** The contract's policy methods: the rules, and what they would decide for a call. */
export function policyHandlers(
  deps: PolicyHandlerDeps,
): Pick<Handlers, 'policy.preview' | 'policy.rules'> {
  return {
    'policy.rules': ({ workspaceId }) => {
      const ws = deps.rules.workspace(deps.store.getWorkspace(workspaceId).id)
      return {
        user: deps.rules.user().map(ruleData),
        workspace: {
          file: WORKSPACE_PERMISSIONS_FILE,
          path: join(ws.root, WORKSPACE_PERMISSIONS_FILE),
          exists: ws.exists,
          rules: ws.rules.map(ruleData),
          ...(ws.ignored ? { ignored: ws.ignored } : {}),
        },
      }
    },
    'policy.preview': ({ workspaceId, mode, tool, arguments: args, sessionId, userRules }) => {
      const workspace = deps.store.getWorkspace(workspaceId)
      // A draft of the user's rules stands in for the stored ones; the session's own rules are
      // the stored rules plus its allowances, so a draft leaves them out.
      const base = userRules
        ? [
            ...userRules.map((r) => ({ ...r, source: 'user' as const })),
            ...deps.rules.workspace(workspace.id).rules,
          ]
        : deps.rules.forWorkspace(workspace.id)
      const rules = (sessionId && !userRules ? deps.sessionRules(sessionId) : undefined) ?? base
      const d = decide(tool, args, {
        mode,
        workspaceRoot: sessionId ? deps.store.sessionRoot(sessionId).path : workspace.path,
        home: deps.home,
        dataDir: deps.dataDir,
        rules,
      })
      return {
        action: d.action,
        reason: d.reason,
        rule: d.rule
          ? {
              tool: d.rule.tool,
              pattern: d.rule.pattern,
              action: d.rule.action,
              source: d.rule.source,
            }
          : null,
        ...(d.subcommands
          ? {
              subcommands: d.subcommands.map((s) => ({
                text: s.text,
                action: s.action,
                risky: s.risky,
                reason: s.reason,
              })),
            }
          : {}),
      }
    },
  }
}
