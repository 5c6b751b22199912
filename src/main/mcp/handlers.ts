import type { McpList, McpServerConfig } from '../../shared/contract/mcp'
import { McpServerConfigSchema } from '../../shared/contract/mcp'
import { ContractError } from '../../shared/errors'
import type { Handlers } from '../host/dispatcher'
import type { SecretStore } from '../secrets/secret-store'
import { assertSecretName, assertSecretValue } from '../secrets/secret-store'
import type { Settings } from '../sessions/settings'
import type { Store } from '../sessions/store'
import type { McpBroker, McpWorkspace } from './broker'
import { isSecretEnvName } from '../tools/env'
import { envSecretName, headerSecretName } from './config'
import { oauthSecretName } from './oauth'

type McpMethod =
  | 'mcp.list'
  | 'mcp.add'
  | 'mcp.remove'
  | 'mcp.setEnabled'
  | 'mcp.setToolEnabled'
  | 'mcp.setPinned'
  | 'mcp.restart'

export interface McpHandlerDeps {
  broker: McpBroker
  settings: Settings
  secrets: SecretStore
  store: Store
}

/**
 * The contract's MCP methods. Changes go to the user's list (`mcp.servers`); header values go to
 * the SecretStore, never the settings, and so do the values of environment variables named like
 * credentials. Validated before anything is stored.
 */
export function mcpHandlers(deps: McpHandlerDeps): Pick<Handlers, McpMethod> {
  const { broker, settings, secrets, store } = deps
  const where = (workspaceId?: string): McpWorkspace | undefined => {
    if (!workspaceId) return undefined
    const ws = store.getWorkspace(workspaceId)
    return { root: ws.path, trusted: ws.trusted }
  }
  const list = (workspaceId?: string): Promise<McpList> => broker.list(where(workspaceId))
  const servers = (): McpServerConfig[] => {
    try {
      return settings.get('mcp.servers') ?? []
    } catch {
      throw new ContractError(
        'invalid_params',
        'The stored MCP server list is not valid; fix or remove it (paddock settings unset mcp.servers).',
      )
    }
  }
  const named = (name: string): McpServerConfig => {
    const found = servers().find((s) => s.name === name)
    if (!found) throw new ContractError('not_found', `No MCP server of yours is called ${name}.`)
    return found
  }
  /** Replace one server's stored configuration, then stop what no longer applies. */
  const update = async (
    name: string,
    change: (c: McpServerConfig) => McpServerConfig,
  ): Promise<McpList> => {
    named(name)
    settings.set(
      'mcp.servers',
      servers().map((s) => (s.name === name ? change(s) : s)),
    )
    await broker.sync()
    return list()
  }

  return {
    'mcp.list': async ({ workspaceId, start }) => broker.list(where(workspaceId), start === true),
    'mcp.add': async (input) => {
      const all = servers()
      if (all.some((s) => s.name === input.name)) {
        throw new ContractError(
          'invalid_params',
          `An MCP server called ${input.name} exists already; remove it first or pick another name.`,
        )
      }
      const common = {
        name: input.name,
        ...(input.startupTimeoutMs ? { startupTimeoutMs: input.startupTimeoutMs } : {}),
        ...(input.callTimeoutMs ? { callTimeoutMs: input.callTimeoutMs } : {}),
        ...(input.pinned ? { pinned: true } : {}),
      }
      // Values of variables named like credentials go to the SecretStore, not the settings.
      const plainEnv: Record<string, string> = {}
      const hiddenEnv: Record<string, string> = {}
      if (input.transport === 'stdio') {
        for (const [name, value] of Object.entries(input.env ?? {})) {
          if (isSecretEnvName(name)) hiddenEnv[name] = value
          else plainEnv[name] = value
        }
      }
      const config = McpServerConfigSchema.parse(
        input.transport === 'stdio'
          ? {
              ...common,
              transport: 'stdio',
              command: input.command,
              args: input.args,
              env: plainEnv,
              secretEnv: Object.keys(hiddenEnv),
              ...(input.sandboxed ? { sandboxed: true } : {}),
            }
          : {
              ...common,
              transport: 'http',
              url: input.url,
              headers: Object.keys(input.headers ?? {}),
            },
      )
      // Validated whole before anything is stored: the secrets as the store takes them, then the
      // list and the values.
      const secretsToStore: Array<[string, string]> = [
        ...(input.transport === 'http'
          ? Object.entries(input.headers ?? {}).map(([h, v]): [string, string] => [
              headerSecretName(input.name, h),
              v,
            ])
          : []),
        ...Object.entries(hiddenEnv).map(([n, v]): [string, string] => [
          envSecretName(input.name, n),
          v,
        ]),
      ]
      for (const [key, value] of secretsToStore) {
        try {
          assertSecretName(key)
          assertSecretValue(value)
        } catch (err) {
          throw new ContractError(
            'invalid_params',
            `${key.split(':').at(-1)}: ${(err as Error).message}`,
          )
        }
      }
      settings.set('mcp.servers', [...all, config])
      if (input.transport === 'http') {
        for (const [header, value] of Object.entries(input.headers ?? {})) {
          secrets.set(headerSecretName(input.name, header), value)
        }
      }
      for (const [name, value] of Object.entries(hiddenEnv)) {
        secrets.set(envSecretName(input.name, name), value)
      }
      await broker.sync()
      return list()
    },
    'mcp.remove': async ({ name }) => {
      const config = named(name)
      settings.set(
        'mcp.servers',
        servers().filter((s) => s.name !== name),
      )
      if (config.transport === 'http') {
        for (const header of config.headers) secrets.delete(headerSecretName(name, header))
        secrets.delete(oauthSecretName(name, 'tokens'))
        secrets.delete(oauthSecretName(name, 'client'))
      } else {
        for (const variable of config.secretEnv) secrets.delete(envSecretName(name, variable))
      }
      await broker.sync()
      return list()
    },
    'mcp.setEnabled': ({ name, enabled }) => update(name, (c) => ({ ...c, enabled })),
    'mcp.setPinned': ({ name, pinned }) => update(name, (c) => ({ ...c, pinned })),
    'mcp.setToolEnabled': ({ name, tool, enabled }) =>
      update(name, (c) => {
        const off = new Set(c.disabledTools)
        if (enabled) off.delete(tool)
        else off.add(tool)
        return { ...c, disabledTools: [...off].sort() }
      }),
    'mcp.restart': async ({ workspaceId, name }) => {
      const ws = where(workspaceId)
      if (!(await broker.restart(name, ws))) {
        throw new ContractError('not_found', `No MCP server is called ${name}.`)
      }
      return broker.list(ws)
    },
  }
}
