import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT, requireBuild } from '../support/paths'
import { tempDir } from '../support/temp'

describe('npm start without an Electron binary', () => {
  it('says so in one line and starts the web host, printing its URL', async () => {
    requireBuild()
    const tmp = tempDir()
    const child = spawn(
      process.execPath,
      [
        join(REPO_ROOT, 'scripts', 'start.mjs'),
        '--port',
        '0',
        '--data-dir',
        join(tmp.path, 'data'),
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          // An empty dist folder: no Electron binary, whatever this machine has installed.
          ELECTRON_OVERRIDE_DIST_PATH: join(tmp.path, 'no-electron'),
          ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
          PADDOCK_SKIP_BUILD: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const lines: string[] = []
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(lines.join('\n'))), 30_000)
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line)
        const m = /^Paddock web host: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      })
    })
    expect(lines[0]).toMatch(/^Electron is not available \(.+\); starting the web host instead\.$/)
    expect(lines).toHaveLength(2)
    const res = await fetch(url, { redirect: 'manual' })
    expect(res.status).toBe(303)
    const exited = new Promise<number | null>((r) => child.once('exit', r))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    tmp.cleanup()
  })
})
