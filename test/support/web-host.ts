import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { BUILT_WEB_ENTRY, requireBuild } from './paths'

export interface RunningWebHost {
  url: string
  origin: string
  port: number
  token: string
  child: ChildProcess
  output: () => string
  stop: () => Promise<number | null>
}

/** Start the built web host as a real process and wait for its "Paddock web host:" line. */
export async function startWebHost(opts: {
  dataDir: string
  workspace?: string
  env?: NodeJS.ProcessEnv
  entry?: string[]
  /** The port to listen on (default: any free one). */
  port?: number
}): Promise<RunningWebHost> {
  requireBuild()
  const args = opts.entry ?? [
    BUILT_WEB_ENTRY,
    '--port',
    String(opts.port ?? 0),
    '--data-dir',
    opts.dataDir,
  ]
  if (opts.workspace) args.push('--workspace', opts.workspace)
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()))
  const lines = createInterface({ input: child.stdout! })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 30_000)
    lines.on('line', (line) => {
      output += `${line}\n`
      const m = /^Paddock web host: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web host exited with ${code}:\n${output}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    child,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode)
        child.once('exit', (code) => resolve(code))
        child.kill('SIGTERM')
      }),
  }
}
