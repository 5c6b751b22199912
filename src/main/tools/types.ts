import type { z } from 'zod'
import type { Blocked } from '../sandbox/blocked'
import type { AgentShell } from '../shells/agent-shell'

/**
 * The filesystem a tool sees. Tools never import node:fs directly: tests inject faults (ENOSPC,
 * EACCES) and later a remote host can swap the implementation.
 */
export interface FsOps {
  readFile(path: string): Promise<Buffer>
  /** Atomic replace: write a temp file beside `path`, then rename over it. */
  writeFileAtomic(path: string, data: Buffer | string): Promise<void>
  stat(path: string): Promise<FileStat>
  lstat(path: string): Promise<FileStat>
  realpath(path: string): Promise<string>
  readdir(path: string): Promise<DirEntryInfo[]>
  /** Creates missing parents too; a folder that already exists is not an error. */
  mkdir(path: string): Promise<void>
}

export interface FileStat {
  isFile: boolean
  isDirectory: boolean
  isSymbolicLink: boolean
  size: number
  mtimeMs: number
  mode: number
}

export interface DirEntryInfo {
  name: string
  isFile: boolean
  isDirectory: boolean
  isSymbolicLink: boolean
}

export interface ToolContext {
  /** Absolute real path of the workspace; every path a tool touches must resolve inside it. */
  workspaceRoot: string
  /** Cancels the tool: it must stop promptly and return (or throw an AbortError). */
  signal: AbortSignal
  fs: FsOps
  /** Where full outputs too long for the model are written (a tool result points at the file). */
  spillDir: string
  /**
   * Further folders `read` may reach outside the workspace, for reading only (the user's skills
   * folders, so the model can follow the skills index). Writes and edits never reach them.
   */
  readRoots?: readonly string[]
  /**
   * Bytes (UTF-8) one result may put in front of the model: `toolOutputBudget` of the run's model
   * window, so no result takes more than a fifth of it. Each tool shows at most its own cap or this
   * less room for its notes, whichever is smaller (`toolBudget`). Absent: the fixed caps only.
   */
  outputBudget?: number
  /** Environment for processes the tool starts, used as given: built by `sanitizedEnv`. */
  env: Record<string, string>
  /** The `rg` binary to use, or null for the built-in search. */
  ripgrepPath: string | null
  /**
   * The session's agent shell (a PTY the user sees): `bash` types its commands there and the
   * shell_* tools reach the command it left running. Absent: `bash` runs each command as a process.
   */
  shell?: AgentShell
  /** The id of the tool call being run (set by the tool call path). */
  toolCallId?: string
  /**
   * Ask the user whether a command the sandbox blocked may run once outside it (an approval).
   * Absent: never asked (the blocked result stands).
   */
  askOutsideSandbox?: (toolCallId: string, command: string, blocked: Blocked) => Promise<boolean>
}

export interface ToolResult {
  /** What the model reads. Already within the tool's output budget. */
  content: string
  isError: boolean
  /** Structured details for the UI (never sent to the model). */
  details?: Record<string, unknown>
}

/** What a call may change, for scheduling: reads run in parallel, writes to one path in order. */
export type ToolEffect =
  | { kind: 'read' }
  | { kind: 'write'; paths: string[] }
  /** May touch anything (bash): runs alone. */
  | { kind: 'exclusive' }

export interface Tool<I = unknown> {
  name: string
  /** Written for the model: what it does, when to use it, limits. */
  description: string
  /** Strict zod schema of the arguments; sent to the model as JSON Schema. */
  schema: z.ZodType<I>
  effect(input: I, ctx: Pick<ToolContext, 'workspaceRoot'>): ToolEffect
  /**
   * Calling it again and again with the same input is how it is used (reading a running command
   * until it ends): the loop detectors never count its calls. Any tool may declare it (an MCP
   * server's status tool, a new poller).
   */
  polls?: boolean
  /**
   * The JSON Schema the model is told, when it is not derived from `schema` (an MCP server's tool
   * keeps its server's schema as written).
   */
  parameters?: Record<string, unknown>
  /** It changes nothing (an MCP tool its server marks `readOnlyHint`): plan mode allows it. */
  readOnly?: boolean
  execute(input: I, ctx: ToolContext): Promise<ToolResult>
}

/** A tool as stored in a registry, with the argument type erased. */
export type AnyTool = Tool<never>
