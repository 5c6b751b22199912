import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FULL_DISK_BYTES, LOW_DISK_BYTES, runDoctor } from '../../src/main/doctor/checks'
import type { DoctorCheck } from '../../src/shared/contract'
import { runCliIn } from '../support/cli-in-process'
import { tempDir } from '../support/temp'

/**
 * The doctor against real programs on a PATH the test controls: a missing git, an old one, a
 * folder it cannot write; a real PTY. Only the free space is given (a full disk cannot be made).
 */
let tmp: ReturnType<typeof tempDir>
let bin: string

beforeEach(() => {
  tmp = tempDir('paddock-doctor-')
  bin = join(tmp.path, 'bin')
  mkdirSync(bin)
})
afterEach(() => tmp.cleanup())

function tool(name: string, script: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`)
  chmodSync(join(bin, name), 0o755)
}

const byId = (checks: DoctorCheck[], id: DoctorCheck['id']): DoctorCheck =>
  checks.find((c) => c.id === id)!

describe('paddock doctor', () => {
  it('on a PATH without git: git fails with the fix, gh is only missing; the PTY and data folder work', async () => {
    const checks = await runDoctor({
      dataDir: join(tmp.path, 'data'),
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
    })
    expect(checks.map((c) => c.id)).toEqual(['git', 'gh', 'sandbox', 'pty', 'path', 'disk', 'data'])
    expect(byId(checks, 'git')).toMatchObject({
      status: 'fail',
      detail: 'git was not found on the PATH.',
    })
    expect(byId(checks, 'git').fix).toContain('sudo apt install git')
    expect(byId(checks, 'gh').status).toBe('info')
    expect(byId(checks, 'pty')).toMatchObject({ status: 'ok' })
    expect(byId(checks, 'data')).toMatchObject({ status: 'ok' })
    // This machine's bubblewrap, probed for real.
    expect(byId(checks, 'sandbox')).toMatchObject({ status: 'ok' })
    expect(byId(checks, 'sandbox').detail).toContain('bubblewrap works')
  })

  it("a sandbox that cannot start warns with the sandbox's own reason and fix; Windows has none", async () => {
    const missing = {
      ok: false as const,
      reason: 'bubblewrap (bwrap) is not installed.',
      fix: 'Install it: sudo apt install bubblewrap (Debian, Ubuntu), sudo dnf install bubblewrap (Fedora).',
    }
    const linux = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
      sandbox: () => missing,
    })
    expect(byId(linux, 'sandbox')).toMatchObject({
      status: 'warn',
      ...{ detail: missing.reason, fix: missing.fix },
    })
    const windows = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'win32',
      loginPath: null,
    })
    expect(byId(windows, 'sandbox')).toMatchObject({
      status: 'info',
      detail: 'The sandbox is not available on Windows.',
    })
  })

  it('an old git warns, a current one is ok with its version', async () => {
    tool('git', 'echo "git version 2.20.1"')
    const old = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
    })
    expect(byId(old, 'git')).toMatchObject({ status: 'warn' })
    expect(byId(old, 'git').detail).toContain('2.20.1 is older than 2.30')
    tool('git', 'echo "git version 2.45.2"')
    const current = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
    })
    expect(byId(current, 'git')).toMatchObject({ status: 'ok', detail: 'git 2.45.2', fix: null })
  })

  it('a data folder that cannot be written fails; low and no disk space warn and fail', async () => {
    const file = join(tmp.path, 'a-file')
    writeFileSync(file, 'x')
    const blocked = await runDoctor({
      dataDir: join(file, 'data'),
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
      freeBytes: () => LOW_DISK_BYTES - 1,
    })
    expect(byId(blocked, 'data').status).toBe('fail')
    expect(byId(blocked, 'data').fix).toContain('writable')
    expect(byId(blocked, 'disk').status).toBe('warn')
    const full = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: null,
      freeBytes: () => FULL_DISK_BYTES - 1,
    })
    expect(byId(full, 'disk').status).toBe('fail')
  })

  it('reports the login shell PATH the desktop app took, or why it could not', async () => {
    const took = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: { source: 'login-shell', shell: '/bin/zsh', path: '/a:/b', added: ['/a'] },
    })
    expect(byId(took, 'path')).toMatchObject({
      status: 'ok',
      detail: 'Taken from /bin/zsh at start, adding /a.',
    })
    const failed = await runDoctor({
      dataDir: tmp.path,
      env: { PATH: bin },
      platform: 'linux',
      loginPath: {
        source: 'failed',
        shell: '/bin/zsh',
        path: '/b',
        added: [],
        error: '/bin/zsh did not answer within 5 s.',
      },
    })
    expect(byId(failed, 'path').status).toBe('warn')
    expect(byId(failed, 'path').fix).toContain('/bin/zsh -ilc env')
  })

  it('the CLI prints each check and exits 1 when one fails; --json gives the same report', async () => {
    const dataDir = join(tmp.path, 'data')
    const text = await runCliIn(dataDir, ['doctor'], {
      cwd: tmp.path,
      env: { PATH: bin, HOME: tmp.path },
    })
    expect(text.status).toBe(1)
    expect(text.stdout).toMatch(/^FAIL {2}Git +git was not found on the PATH\.$/m)
    expect(text.stdout).toMatch(/fix: Install git/)
    const json = await runCliIn(dataDir, ['doctor', '--json'], {
      cwd: tmp.path,
      env: { PATH: bin, HOME: tmp.path },
    })
    expect(json.status).toBe(1)
    const report = JSON.parse(json.stdout) as { checks: DoctorCheck[]; ranAt: string }
    expect(report.checks.map((c) => c.id)).toContain('git')
    expect(Number.isNaN(Date.parse(report.ranAt))).toBe(false)
  })
})
