import { z } from 'zod'
import { IdSchema } from '../model'

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// MCP servers: the user's (stored in settings as `mcp.servers`) and a trusted workspace's own
// (`.mcp.json`). One broker per host runs each server once for every session; these methods show
// their state and tools and change the user's list. Header values rest in the SecretStore, never
// in the settings.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Default time a server has to start and list its tools, in ms. */
export const DEFAULT_MCP_STARTUP_TIMEOUT_MS = 30_000
/** Default time one tool call may take, in ms. */
export const DEFAULT_MCP_CALL_TIMEOUT_MS = 120_000
/** Most servers a user may configure. */
export const MAX_MCP_SERVERS = 50

/** A server's name: part of its tools' names (`mcp__<server>__<tool>`). */
export const McpServerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 letters, digits, _ or -')

const EnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name (letters, digits, _)')
  .max(256)
  .refine((name) => !/^PADDOCK_/i.test(name), 'PADDOCK_* variables are Paddock’s own')

/** An HTTP header's name (a token without the rarer punctuation). */
export const HeaderNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name (letters, digits, -)')

const TimeoutSchema = z
  .number()
  .int('must be a whole number of ms')
  .min(1000, 'must be at least 1000 ms')
  .max(3_600_000, 'must be at most 3600000 ms (one hour)')

const common = {
  name: McpServerNameSchema,
  /** Off: never started, its tools never offered. */
  enabled: z.boolean().default(true),
  /** Time to start and list tools, in ms (default {@link DEFAULT_MCP_STARTUP_TIMEOUT_MS}). */
  startupTimeoutMs: TimeoutSchema.optional(),
  /** Time one call may take, in ms (default {@link DEFAULT_MCP_CALL_TIMEOUT_MS}). */
  callTimeoutMs: TimeoutSchema.optional(),
  /** Tools (by the server's own names) never offered to the model. */
  disabledTools: z.array(z.string().min(1).max(128)).max(500).default([]),
  /** Always listed in full, even when the tools' schemas are offered through `mcp_search`. */
  pinned: z.boolean().default(false),
}

/** A server started as a process speaking MCP on its stdin and stdout. */
export const McpStdioConfigSchema = z
  .object({
    ...common,
    transport: z.literal('stdio'),
    command: z.string().trim().min(1, 'name a command').max(4096),
    args: z.array(z.string().max(8192)).max(200).default([]),
    /** Set for the server on top of the user's environment (credentials removed). */
    env: z.record(EnvNameSchema, z.string().max(32_768)).default({}),
    /**
     * Variables set for it whose names look like credentials (`GITHUB_TOKEN`): their values rest
     * in the SecretStore (`mcp-env:<server>:<name>`), only the names here.
     */
    secretEnv: z.array(EnvNameSchema).max(100).default([]),
    /**
     * Run it inside the agent's sandbox: it writes only to its own folder (the workspace for a
     * workspace's server) and a private /tmp, reaches the network only as agent shells do, and
     * never sees Paddock's data or the credential folders.
     */
    sandboxed: z.boolean().default(false),
  })
  .strict()

/**
 * A remote server (Streamable HTTP, with the older SSE transport as fallback). Only the headers'
 * names are stored here; their values rest in the SecretStore (`mcp-header:<server>:<name>`).
 */
export const McpHttpConfigSchema = z
  .object({
    ...common,
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).max(2048),
    headers: z.array(HeaderNameSchema).max(50).default([]),
  })
  .strict()

export const McpServerConfigSchema = z.discriminatedUnion('transport', [
  McpStdioConfigSchema,
  McpHttpConfigSchema,
])
export type McpServerConfig = z.infer<typeof McpServerConfigSchema>

/** The user's servers as stored (`mcp.servers`): names are unique. */
export const McpServerListSchema = z
  .array(McpServerConfigSchema)
  .max(MAX_MCP_SERVERS, `at most ${MAX_MCP_SERVERS} servers`)
  .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'a name is used twice')

export const McpStateSchema = z.enum(['stopped', 'starting', 'ready', 'restarting', 'failed'])
export type McpState = z.infer<typeof McpStateSchema>

export const McpToolInfoSchema = z.object({
  /** The server's own name for it. */
  name: z.string(),
  /** What the model calls it: `mcp__<server>__<tool>`. */
  exposedName: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  /** The server says it changes nothing (`readOnlyHint`): plan mode allows it. */
  readOnly: z.boolean(),
})
export type McpToolInfo = z.infer<typeof McpToolInfoSchema>

export const McpServerStatusSchema = z.object({
  name: z.string(),
  source: z.enum(['user', 'workspace']),
  transport: z.enum(['stdio', 'http']),
  /** The command line, or the address. */
  target: z.string(),
  enabled: z.boolean(),
  pinned: z.boolean(),
  state: McpStateSchema,
  /** Known once the server has listed them. */
  tools: z.array(McpToolInfoSchema),
  /** Why it is down, or what last went wrong. */
  lastError: z.string().optional(),
  /** The newest lines it wrote to stderr (never shown to the model). */
  logTail: z.array(z.string()),
})
export type McpServerStatus = z.infer<typeof McpServerStatusSchema>

export const McpListSchema = z.object({
  servers: z.array(McpServerStatusSchema),
  /** The workspace's `.mcp.json`, when it exists but is not used, and why. */
  ignored: z.object({ file: z.string(), reason: z.string() }).optional(),
})
export type McpList = z.infer<typeof McpListSchema>

const AddCommon = {
  name: McpServerNameSchema,
  startupTimeoutMs: TimeoutSchema.optional(),
  callTimeoutMs: TimeoutSchema.optional(),
  pinned: z.boolean().optional(),
}

export const McpAddInputSchema = z.discriminatedUnion('transport', [
  z
    .object({
      ...AddCommon,
      transport: z.literal('stdio'),
      command: z.string().trim().min(1, 'name a command').max(4096),
      args: z.array(z.string().max(8192)).max(200).optional(),
      env: z.record(EnvNameSchema, z.string().max(32_768)).optional(),
      /** Run it inside the agent's sandbox (`McpStdioConfigSchema.sandboxed`). */
      sandboxed: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      ...AddCommon,
      transport: z.literal('http'),
      url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }),
      /** Header values go to the SecretStore; only the names are stored with the server. */
      headers: z.record(HeaderNameSchema, z.string().min(1).max(16_384)).optional(),
    })
    .strict(),
])
export type McpAddInput = z.infer<typeof McpAddInputSchema>

const Where = { workspaceId: IdSchema.optional() }
const Named = z.object({ name: McpServerNameSchema }).strict()

export const mcpMethods = {
  /**
   * The servers for a workspace (the user's, and the workspace's `.mcp.json` when it is trusted),
   * their state, tools and log tail. `start`: start the enabled ones first and wait for them (each
   * up to its startup timeout), so the states and tool counts are current.
   */
  'mcp.list': {
    input: z.object({ ...Where, start: z.boolean().optional() }).strict(),
    output: McpListSchema,
  },
  /** Add a user server (a new name); `invalid_params` when the name is taken. */
  'mcp.add': { input: McpAddInputSchema, output: McpListSchema },
  /** Remove a user server (stopping it) and its stored header values. */
  'mcp.remove': { input: Named, output: McpListSchema },
  /** Turn a user server on or off (off stops it). */
  'mcp.setEnabled': {
    input: z.object({ name: McpServerNameSchema, enabled: z.boolean() }).strict(),
    output: McpListSchema,
  },
  /** Offer one of a user server's tools to the model, or not (from the next run). */
  'mcp.setToolEnabled': {
    input: z
      .object({ name: McpServerNameSchema, tool: z.string().min(1).max(128), enabled: z.boolean() })
      .strict(),
    output: McpListSchema,
  },
  /** Always list a user server's tools in full, or let them go behind `mcp_search`. */
  'mcp.setPinned': {
    input: z.object({ name: McpServerNameSchema, pinned: z.boolean() }).strict(),
    output: McpListSchema,
  },
  /** Stop a server and start it again now (also after it stayed down), forgetting its failures. */
  'mcp.restart': {
    input: z.object({ ...Where, name: McpServerNameSchema }).strict(),
    output: McpListSchema,
  },
} as const
