import type { Logger } from '../core/logger'
import type { Handlers } from '../host/dispatcher'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import { decide } from './decide'
import type { Rule } from './rules'
import { loadWorkspaceRules } from './sources'

/** Where the rules below a mode come from: the user's settings and the workspace's own file. */
export interface RuleSources {
  /** The user's rules, then the workspace's (untrusted workspaces have none). */
  forWorkspace(workspaceId: string): Rule[]
}

export function ruleSources(deps: {
  settings: Settings
  store: Store
  logger: Logger
}): RuleSources {
  const { settings, store, logger } = deps
  /** The user's own rules (settings), above the mode's and below the workspace's. */
  const userRules = (): Rule[] => {
    try {
      return (settings.get('permissions.rules') ?? []).map((r) => ({
        ...r,
        source: 'user' as const,
      }))
    } catch (err) {
      logger.log('warn', 'permission rules in settings are unreadable', { error: String(err) })
      return []
    }
  }
  const workspaceRules = (workspaceId: string): Rule[] => {
    const ws = store.getWorkspace(workspaceId)
    const loaded = loadWorkspaceRules(ws.path, ws.trusted)
    if (loaded.ignored)
      logger.log('info', 'workspace rules not applied', { reason: loaded.ignored })
    return loaded.rules
  }
  return { forWorkspace: (id) => [...userRules(), ...workspaceRules(id)] }
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

/** The contract's policy methods: what the rules would decide for a call. */
export function policyHandlers(deps: PolicyHandlerDeps): Pick<Handlers, 'policy.preview'> {
  return {
    'policy.preview': ({ workspaceId, mode, tool, arguments: args, sessionId }) => {
      const workspace = deps.store.getWorkspace(workspaceId)
      const base = deps.rules.forWorkspace(workspace.id)
      const rules = (sessionId ? deps.sessionRules(sessionId) : undefined) ?? base
      const d = decide(tool, args, {
        mode,
        workspaceRoot: workspace.path,
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
