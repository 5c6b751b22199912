import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { REPO_ROOT } from './paths'

/** Run a TypeScript file from test/support in a child Node process (through tsx). */
export function spawnTs(file: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

/** Resolve when `child` prints a line matching `re` (rejecting if it exits first). */
export function waitForLine(child: ChildProcess, re: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = ''
    let err = ''
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${re}\n${err}`)),
      timeoutMs,
    )
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
    const onData = (d: Buffer): void => {
      buf += d.toString()
      const lines = buf.split('\n')
      buf = lines.pop() ?? ''
      for (const line of lines) {
        if (re.test(line)) {
          clearTimeout(timer)
          child.stdout?.off('data', onData)
          resolve(line)
          return
        }
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`child exited (${code}) before ${re}\n${err}`))
    })
  })
}

/** Run a Node script without blocking this process (a fake server here may be serving it). */
export function runNode(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}
