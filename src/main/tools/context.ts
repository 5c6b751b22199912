import { sanitizedEnv } from './env'
import { findRipgrep } from './grep-rg'
import { createNodeFsOps } from './node-fs-ops'
import type { FsOps, ToolContext } from './types'

export interface ToolContextOptions {
  /** Absolute real path of the workspace. */
  workspaceRoot: string
  /** Folder for spilled outputs (created on first use). */
  spillDir: string
  signal?: AbortSignal
  /** Default: the real filesystem. */
  fs?: FsOps
  /** Host environment; credentials are removed (`sanitizedEnv`). Default: process.env. */
  env?: Record<string, string | undefined>
  /** `rg` to use; null for the built-in search; default: `rg` found on the environment's PATH. */
  ripgrepPath?: string | null
  /** Bytes one result may take (`toolOutputBudget` of a window); default: the fixed caps. */
  outputBudget?: number
}

/** A `ToolContext` with the real filesystem and a sanitised environment unless told otherwise. */
export function createToolContext(options: ToolContextOptions): ToolContext {
  const env = sanitizedEnv(options.env ?? process.env)
  return {
    workspaceRoot: options.workspaceRoot,
    spillDir: options.spillDir,
    signal: options.signal ?? new AbortController().signal,
    fs: options.fs ?? createNodeFsOps(),
    env,
    ripgrepPath: options.ripgrepPath === undefined ? findRipgrep(env) : options.ripgrepPath,
    ...(options.outputBudget !== undefined ? { outputBudget: options.outputBudget } : {}),
  }
}
