import type { McpList, Method, MethodInput, MethodOutput } from '../../shared/contract'
import type { CliIo } from './cli'

export interface McpFlags {
  json: boolean
  env: string[]
  url?: string
  header: string[]
  /** `--sandboxed`: run the stdio server inside the agent's sandbox. */
  sandboxed: boolean
  workspace?: string
  /** The words after `--`: the server's command and its arguments. */
  command: string[]
}

export class McpUsageError extends Error {}

type Call = <M extends Method>(m: M, p: MethodInput<M>) => Promise<MethodOutput<M>>

/**
 * `paddock mcp add|list|remove|enable|disable`: the user's MCP servers, the same list as
 * Settings → MCP servers. `add NAME [--env K=V]… -- COMMAND [ARGS…]` adds a stdio server,
 * `add NAME --url URL [--header "K: V"]…` a remote one (header values go to the SecretStore).
 * `list` starts the enabled servers and waits for them (each up to its startup timeout), so the
 * states and tool counts it prints are current; they stop again when the command exits.
 */
export async function runMcp(
  command: string | undefined,
  args: string[],
  flags: McpFlags,
  call: Call,
  io: CliIo,
): Promise<number> {
  if (command === 'list') {
    if (args.length) throw new McpUsageError(`unexpected argument "${args[0]}"`)
    const workspaceId = flags.workspace
      ? (await call('workspaces.open', { path: flags.workspace })).id
      : undefined
    const list = await call('mcp.list', { ...(workspaceId ? { workspaceId } : {}), start: true })
    if (flags.json) io.out(`${JSON.stringify(list, null, 2)}\n`)
    else printList(list, io)
    return 0
  }
  const name = args.shift()
  if (!name) throw new McpUsageError(`mcp ${command ?? ''} needs a server NAME`.trim())
  if (command === 'add') return add(name, args, flags, call, io)
  if (args.length) throw new McpUsageError(`unexpected argument "${args[0]}"`)
  if (command === 'remove') {
    await call('mcp.remove', { name })
    io.out(`Removed MCP server "${name}".\n`)
    return 0
  }
  if (command === 'enable' || command === 'disable') {
    await call('mcp.setEnabled', { name, enabled: command === 'enable' })
    io.out(`MCP server "${name}" ${command}d.\n`)
    return 0
  }
  throw new McpUsageError(
    `unknown command "mcp ${command ?? ''}" (add, list, remove, enable, disable)`,
  )
}

async function add(
  name: string,
  args: string[],
  flags: McpFlags,
  call: Call,
  io: CliIo,
): Promise<number> {
  // Words before `--` other than NAME are a mistake (the command goes after `--`).
  const stray = args.filter((a) => !flags.command.includes(a))
  if (stray.length)
    throw new McpUsageError(`unexpected argument "${stray[0]}" (put the command after --)`)
  if (flags.url) {
    if (flags.command.length)
      throw new McpUsageError('mcp add takes --url or a command after --, not both')
    if (flags.sandboxed)
      throw new McpUsageError('--sandboxed is for a command; a remote server runs elsewhere')
    if (flags.env.length)
      throw new McpUsageError('--env is for a command; a remote server takes --header')
    const headers: Record<string, string> = {}
    for (const h of flags.header) {
      const at = h.indexOf(':')
      if (at <= 0) throw new McpUsageError(`--header "${h.split(':')[0]}…" must read "Name: value"`)
      headers[h.slice(0, at).trim()] = h.slice(at + 1).trim()
    }
    await call('mcp.add', { transport: 'http', name, url: flags.url, headers })
    io.out(`Added MCP server "${name}" (${flags.url}).\n`)
    return 0
  }
  const [command, ...rest] = flags.command
  if (!command) throw new McpUsageError('mcp add needs --url URL or -- COMMAND [ARGS…]')
  if (flags.header.length) throw new McpUsageError('--header is for a remote server (--url)')
  const env: Record<string, string> = {}
  for (const pair of flags.env) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new McpUsageError(`--env ${pair.split('=')[0]} must read K=V`)
    env[pair.slice(0, at)] = pair.slice(at + 1)
  }
  await call('mcp.add', {
    transport: 'stdio',
    name,
    command,
    args: rest,
    env,
    ...(flags.sandboxed ? { sandboxed: true } : {}),
  })
  const where = flags.sandboxed ? ', inside the sandbox' : ''
  io.out(`Added MCP server "${name}" (${[command, ...rest].join(' ')}${where}).\n`)
  return 0
}

function printList(list: McpList, io: CliIo): void {
  if (list.servers.length === 0) io.out('No MCP servers. Add one with paddock mcp add.\n')
  for (const s of list.servers) {
    const state = s.enabled ? s.state : 'disabled'
    const tools = s.tools.length === 1 ? '1 tool' : `${s.tools.length} tools`
    io.out(
      `${s.name}  ${state}  ${tools}  ${s.target}${s.source === 'workspace' ? '  (workspace)' : ''}\n`,
    )
    if (s.lastError) io.out(`  last error: ${s.lastError}\n`)
  }
  if (list.ignored) io.out(`${list.ignored.file}: ${list.ignored.reason}\n`)
}
