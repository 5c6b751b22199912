import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import type { McpServerConfig } from '../../shared/contract/mcp'
import { McpServerConfigSchema, McpServerNameSchema } from '../../shared/contract/mcp'

/** The workspace's own server list, the shape other tools read (`{"mcpServers": {…}}`). */
export const WORKSPACE_MCP_FILE = '.mcp.json'

/** A server as the broker runs it: where it was configured, and its header values. */
export interface McpServerEntry {
  /** Unique per host: `user:<name>`, or `workspace:<root>:<name>`. */
  key: string
  source: 'user' | 'workspace'
  config: McpServerConfig
  /** Header values (from the SecretStore, or the workspace's file), by header name. */
  headers: () => Record<string, string>
  /** Environment values kept in the SecretStore (`secretEnv`), by name. */
  secretEnv: () => Record<string, string>
}

/** Where a user server's secret-looking environment value rests in the SecretStore. */
export function envSecretName(server: string, name: string): string {
  return `mcp-env:${server}:${name}`
}

/** Where a user server's header value rests in the SecretStore. */
export function headerSecretName(server: string, header: string): string {
  return `mcp-header:${server}:${header.toLowerCase()}`
}

const StdioEntrySchema = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1).max(4096),
    args: z.array(z.string().max(8192)).max(200).optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** Paddock's own key: run it inside the agent's sandbox. */
    sandboxed: z.boolean().optional(),
  })
  .passthrough()

const HttpEntrySchema = z
  .object({
    type: z.enum(['http', 'sse', 'streamable-http', 'streamableHttp']).optional(),
    url: z.string().min(1).max(2048),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .passthrough()

const WorkspaceFileSchema = z.object({
  mcpServers: z.record(McpServerNameSchema, z.union([StdioEntrySchema, HttpEntrySchema])),
})

export interface WorkspaceServers {
  servers: McpServerEntry[]
  /** Set when the file exists but is not used: untrusted workspace, or invalid content. */
  ignored?: string
}

/**
 * A workspace's `.mcp.json`. A cloned repository must not start programs on its own: the file
 * counts only once the user trusted the workspace (as `.paddock/permissions.json` does).
 */
export function loadWorkspaceServers(root: string, trusted: boolean): WorkspaceServers {
  let text: string
  try {
    text = readFileSync(join(root, WORKSPACE_MCP_FILE), 'utf8')
  } catch {
    return { servers: [] }
  }
  if (!trusted) {
    return {
      servers: [],
      ignored: `${WORKSPACE_MCP_FILE} is ignored until you trust this workspace (paddock workspaces trust); none of its servers were started.`,
    }
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    return {
      servers: [],
      ignored: `${WORKSPACE_MCP_FILE} is not valid JSON: ${(err as Error).message}`,
    }
  }
  const parsed = WorkspaceFileSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return {
      servers: [],
      ignored: `${WORKSPACE_MCP_FILE} is invalid (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`,
    }
  }
  const servers: McpServerEntry[] = []
  const problems: string[] = []
  for (const [name, raw] of Object.entries(parsed.data.mcpServers)) {
    const headers = ('url' in raw ? raw.headers : undefined) as Record<string, string> | undefined
    const candidate =
      'url' in raw
        ? { name, transport: 'http', url: raw.url, headers: Object.keys(headers ?? {}) }
        : {
            name,
            transport: 'stdio',
            command: raw.command,
            args: raw.args,
            env: raw.env,
            ...(raw.sandboxed ? { sandboxed: true } : {}),
          }
    const config = McpServerConfigSchema.safeParse(candidate)
    if (!config.success) {
      problems.push(`${name}: ${config.error.issues[0]?.message ?? 'invalid'}`)
      continue
    }
    servers.push({
      key: `workspace:${root}:${name}`,
      source: 'workspace',
      config: config.data,
      headers: () => ({ ...headers }),
      secretEnv: () => ({}),
    })
  }
  return problems.length
    ? { servers, ignored: `${WORKSPACE_MCP_FILE}: skipped ${problems.join('; ')}` }
    : { servers }
}

/** The command line or address of a server, as shown to the user. */
export function serverTarget(config: McpServerConfig): string {
  if (config.transport === 'http') return config.url
  return [config.command, ...config.args].join(' ')
}
