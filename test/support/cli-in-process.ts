import type { CliIo } from '../../src/main/cli/cli'
import { runCli } from '../../src/main/cli/cli'

export interface CliResult {
  status: number
  stdout: string
  stderr: string
}

/**
 * The CLI in this process (`runCli`, the same entry point as the binary) with `--data-dir` added,
 * its output collected: for steps that need no real terminal, stdin or exit.
 */
export async function runCliIn(
  dataDir: string,
  args: string[],
  io: { cwd: string; env?: Record<string, string>; stdin?: string },
): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const cliIo: CliIo = {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    cwd: io.cwd,
    env: { PATH: process.env.PATH ?? '', ...io.env },
    ...(io.stdin !== undefined ? { readStdin: () => Promise.resolve(io.stdin!) } : {}),
  }
  // Before a `--`: what follows it is a command's own words (`paddock mcp add NAME -- CMD …`).
  const dashes = args.indexOf('--')
  const argv =
    dashes < 0
      ? [...args, '--data-dir', dataDir]
      : [...args.slice(0, dashes), '--data-dir', dataDir, ...args.slice(dashes)]
  const status = await runCli(argv, cliIo)
  return { status, stdout, stderr }
}
