import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { captureLoginPath, mergePaths, pathFromEnvOutput } from '../../src/main/core/login-path'
import { tempDir } from '../support/temp'

let tmp: ReturnType<typeof tempDir> | null = null
afterEach(() => {
  tmp?.cleanup()
  tmp = null
})

/** A shell whose startup file prints noise and sets PATH, as a login shell with an rc would. */
function fakeShell(body: string): string {
  tmp = tempDir('paddock-login-path-')
  const shell = join(tmp.path, 'fakesh')
  writeFileSync(shell, `#!/bin/sh\n${body}\n`)
  chmodSync(shell, 0o755)
  return shell
}

describe('the login shell PATH of a desktop launch', () => {
  it('is read between markers, whatever the startup files print around it', () => {
    const out =
      'Welcome!\nPATH=/wrong\n__PADDOCK_ENV_BEGIN__\nHOME=/h\nPATH=/opt/homebrew/bin:/usr/bin\n__PADDOCK_ENV_END__\nbye\n'
    expect(pathFromEnvOutput(out)).toBe('/opt/homebrew/bin:/usr/bin')
    expect(pathFromEnvOutput('no markers\nPATH=/x\n')).toBeNull()
  })

  it("puts the shell's folders first, keeps the app's, lists what it added, each folder once", () => {
    expect(mergePaths('/brew/bin:/usr/bin', '/usr/bin:/bin')).toEqual({
      path: '/brew/bin:/usr/bin:/bin',
      added: ['/brew/bin'],
    })
  })

  it('asks a real shell with -ilc and merges its PATH', async () => {
    const shell = fakeShell(
      // $1 is -ilc and $2 the command: run it with PATH as a login shell would have set it.
      'echo "motd line"; PATH=/from/login:/usr/bin:/bin; export PATH; eval "$2"',
    )
    const got = await captureLoginPath({
      env: { SHELL: shell, PATH: '/usr/bin:/bin' },
      platform: 'linux',
    })
    expect(got).toMatchObject({ source: 'login-shell', shell, added: ['/from/login'] })
    expect(got.path).toBe('/from/login:/usr/bin:/bin')
  })

  it('a shell that hangs is given up after the timeout; the PATH stays as it was and says why', async () => {
    const shell = fakeShell('sleep 30')
    const got = await captureLoginPath({
      env: { SHELL: shell, PATH: '/usr/bin:/bin' },
      platform: 'linux',
      timeoutMs: 300,
    })
    expect(got).toMatchObject({ source: 'failed', path: '/usr/bin:/bin', added: [] })
    expect(got.error).toContain('did not answer within')
  })

  it('a missing shell or one printing no PATH fails the same way; Windows is not asked', async () => {
    const missing = await captureLoginPath({
      env: { SHELL: '/nonexistent/sh', PATH: '/bin' },
      platform: 'linux',
    })
    expect(missing).toMatchObject({ source: 'failed', path: '/bin' })
    expect(missing.error).toContain('could not be started')
    const silent = await captureLoginPath({
      env: { SHELL: fakeShell('exit 0'), PATH: '/bin' },
      platform: 'linux',
    })
    expect(silent).toMatchObject({
      source: 'failed',
      error: expect.stringContaining('printed no PATH'),
    })
    expect(await captureLoginPath({ env: { PATH: 'C:\\x' }, platform: 'win32' })).toMatchObject({
      source: 'inherited',
      path: 'C:\\x',
    })
  })
})
