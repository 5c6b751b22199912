/**
 * The one contract between clients (renderer over IPC or WebSocket, CLI in-process) and the engine.
 * Each method names a strict zod input schema (unknown keys are rejected) and an output schema.
 * Hosts validate every request against it before the engine sees it.
 *
 * One file per domain, each exporting `<domain>Methods`. Method names are
 * `<domain>.<camelCaseVerb>`, the domain being the file's name: plural for collections
 * (`sessions`, `workspaces`, `terminals`, `checkpoints`, `models`, `providers`), singular for
 * singletons (`host`, `fs`, `git`, `layout`, `policy`, `review`, `settings`; `worktrees` is plural). Events (`session.created`, `terminal.data`…) are
 * not methods and are named by `src/shared/events.ts`.
 */
import type { z } from 'zod'
import { checkpointsMethods } from './checkpoints'
import { fsMethods } from './fs'
import { gitMethods } from './git'
import { hostMethods } from './host'
import { layoutMethods } from './layout'
import { mcpMethods } from './mcp'
import { modelsMethods } from './models'
import { policyMethods } from './policy'
import { providersMethods } from './providers'
import { reviewMethods } from './review'
import { sandboxMethods } from './sandbox'
import { sessionsMethods } from './sessions'
import { settingsMethods } from './settings'
import { skillsMethods } from './skills'
import { terminalsMethods } from './terminals'
import { workspacesMethods } from './workspaces'
import { worktreesMethods } from './worktrees'

export * from './checkpoints'
export * from './fs'
export * from './git'
export * from './host'
export * from './layout'
export * from './mcp'
export * from './models'
export * from './policy'
export * from './providers'
export * from './review'
export * from './sandbox'
export * from './sessions'
export * from './settings'
export * from './skills'
export * from './terminals'
export * from './workspaces'
export * from './worktrees'

export const contract = {
  ...hostMethods,
  ...fsMethods,
  ...workspacesMethods,
  ...sessionsMethods,
  ...policyMethods,
  ...modelsMethods,
  ...providersMethods,
  ...terminalsMethods,
  ...checkpointsMethods,
  ...reviewMethods,
  ...settingsMethods,
  ...worktreesMethods,
  ...gitMethods,
  ...layoutMethods,
  ...skillsMethods,
  ...sandboxMethods,
  ...mcpMethods,
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>
/** The input after validation (defaults applied, strings trimmed): what handlers receive. */
export type MethodParams<M extends Method> = z.output<Contract[M]['input']>

export const METHODS = Object.keys(contract) as Method[]

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}
