import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { REPO_ROOT, requireBuild } from '../support/paths'
import { closedPort } from '../support/ports'
import { tempDir } from '../support/temp'

/**
 * `npm start` (scripts/start.mjs) as a child process on a machine without Electron: an empty dist
 * folder stands in for the binary, whatever this machine has installed, and Electron's own
 * installer downloads from a loopback port nothing listens on, so it fails at once.
 */
let tmp: ReturnType<typeof tempDir>
let dataDir: string
beforeEach(() => {
  requireBuild()
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
})
afterEach(() => tmp.cleanup())

/** The environment of a start without Electron; `download` lets it try (and fail) to fetch one. */
async function env(download: boolean): Promise<NodeJS.ProcessEnv> {
  const base: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    // npm's and the user's Electron mirror settings would win over the one below.
    if (!/^(npm_config_electron_|npm_package_config_electron_|ELECTRON_)/i.test(k)) base[k] = v
  }
  return {
    ...base,
    ELECTRON_OVERRIDE_DIST_PATH: join(tmp.path, 'no-electron'),
    PADDOCK_SKIP_BUILD: '1',
    ...(download
      ? {
          ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
          electron_config_cache: join(tmp.path, 'electron-cache'),
        }
      : { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }),
  }
}

/** Start, read its lines up to the one after the web host's address, then stop it. */
async function start(
  childEnv: NodeJS.ProcessEnv,
  extra: string[] = [],
  whileRunning: (url: string) => Promise<void> = async () => {},
): Promise<{ lines: string[]; url: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'start.mjs'), '--port', '0', '--data-dir', dataDir, ...extra],
    { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const lines: string[] = []
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${lines.join('\n')}\n${stderr}`)), 60_000)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line)
      const m =
        /^Open this address in your browser: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
  })
  await whileRunning(url)
  const exited = new Promise<number | null>((r) => child.once('exit', r))
  child.kill('SIGTERM')
  expect(await exited).toBe(0)
  return { lines, url }
}

describe('npm start without an Electron binary', () => {
  it('says so in one line, starts the web host, and says to open its address and where the data is', async () => {
    let status = 0
    const { lines, url } = await start(await env(false), [], async (address) => {
      status = (await fetch(address, { redirect: 'manual' })).status
    })
    expect(lines[0]).toMatch(/^Electron is not available \(.+\); starting the web host instead\.$/)
    expect(lines[1]).toBe(`Data folder: ${dataDir} (another: --data-dir DIR or PADDOCK_DATA_DIR)`)
    expect(lines[2]).toBe(`Paddock web host: ${url}`)
    expect(lines[3]).toBe(`Open this address in your browser: ${url}`)
    expect(lines).toHaveLength(4)
    expect(status).toBe(303)
  })

  it('tries the download once a day, or again when asked', async () => {
    const stamp = join(dataDir, 'electron-download.json')
    const first = await start(await env(true))
    expect(first.lines[0]).toBe('Downloading the Electron binary…')
    expect(first.lines[1]).toMatch(
      /^Electron is not available \(its download failed: .+; the next try is in a day\); starting the web host instead\.$/,
    )
    expect(existsSync(stamp)).toBe(true)

    // The next start remembers it: no download, and how to ask for one.
    const second = await start(await env(true))
    expect(second.lines.some((l) => l.startsWith('Downloading'))).toBe(false)
    expect(second.lines[0]).toMatch(
      /^Electron is not available \(its download failed just now: .+; "npm start -- --retry-electron" tries again\); starting the web host instead\.$/,
    )

    // Asked for: it tries at once (and the flag does not reach the web host, which would refuse it).
    const asked = await start(await env(true), ['--retry-electron'])
    expect(asked.lines[0]).toBe('Downloading the Electron binary…')
    const byEnv = await start({ ...(await env(true)), PADDOCK_RETRY_ELECTRON: '1' })
    expect(byEnv.lines[0]).toBe('Downloading the Electron binary…')

    // A day later it tries by itself.
    const remembered = JSON.parse(readFileSync(stamp, 'utf8')) as { failedAt: string }
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000)
    writeFileSync(stamp, JSON.stringify({ ...remembered, failedAt: dayAgo.toISOString() }))
    utimesSync(stamp, dayAgo, dayAgo)
    const later = await start(await env(true))
    expect(later.lines[0]).toBe('Downloading the Electron binary…')
  })
})
