import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './paths'

/** The stdio MCP server of the tests (modes and tools: see the file). */
export const FIXTURE_SERVER = join(REPO_ROOT, 'test', 'fixtures', 'mcp', 'test-server.mjs')
/** The registry's example server, run with `node <this> stdio|streamableHttp`. */
export const EVERYTHING_SERVER = join(
  REPO_ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
)

/** Whether a process is alive (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The pids a fixture server appended to its pid file. */
export function pidsIn(file: string): number[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l))
}
