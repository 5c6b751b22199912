import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import { notarizePlan, signingPlan } from '../../scripts/packaging/release-env.mjs'
import afterSign from '../../scripts/packaging/after-sign.mjs'
import { builderArgs, electronForDist } from '../../scripts/packaging/dist-plan.mjs'

const APPLE = {
  APPLE_ID: 'dev@example.com',
  APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop',
  APPLE_TEAM_ID: 'TEAM123456',
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('notarization', () => {
  it('runs only for macOS with all three Apple variables', () => {
    expect(notarizePlan(APPLE, 'darwin')).toEqual({
      run: true,
      options: {
        appleId: APPLE.APPLE_ID,
        appleIdPassword: APPLE.APPLE_APP_SPECIFIC_PASSWORD,
        teamId: APPLE.APPLE_TEAM_ID,
      },
    })
    expect(notarizePlan(APPLE, 'linux')).toMatchObject({ run: false })
    expect(notarizePlan(APPLE, 'win32')).toMatchObject({ run: false })
    expect(notarizePlan({}, 'darwin')).toEqual({
      run: false,
      reason:
        'APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID are not set: the app is not notarized',
    })
    // Blank counts as not set.
    expect(notarizePlan({ APPLE_ID: ' ', APPLE_TEAM_ID: '' }, 'darwin')).toMatchObject({
      run: false,
    })
  })

  it('refuses a half-configured release rather than ship it un-notarized', () => {
    expect(() => notarizePlan({ ...APPLE, APPLE_TEAM_ID: undefined }, 'darwin')).toThrow(
      'Notarization needs APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID; APPLE_TEAM_ID is not set.',
    )
    expect(() => notarizePlan({ APPLE_ID: 'a@b.c' }, 'darwin')).toThrow(
      /APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID are not set/,
    )
  })

  it('is skipped by the afterSign hook without the variables, saying why', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const context = {
      appOutDir: '/nowhere/mac-arm64',
      electronPlatformName: 'darwin',
      packager: { appInfo: { productFilename: 'Paddock' } },
    }
    await afterSign(context, {})
    expect(out).toHaveBeenCalledWith(
      '  • after-sign: APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID are not set: the app is not notarized\n',
    )
    await expect(afterSign(context, { APPLE_ID: 'a@b.c' })).rejects.toThrow(/not set/)
  })
})

describe('signing', () => {
  it('signs with CSC_LINK (WIN_CSC_LINK first on Windows), or CSC_NAME from the Mac keychain', () => {
    expect(signingPlan({ CSC_LINK: '/certs/dev.p12' }, 'darwin')).toMatchObject({
      signed: true,
      env: {},
    })
    expect(signingPlan({ CSC_LINK: 'x', WIN_CSC_LINK: 'y' }, 'win32').line).toBe(
      'signing with the certificate in WIN_CSC_LINK',
    )
    expect(signingPlan({ CSC_NAME: 'Developer ID Application: Ada' }, 'darwin').signed).toBe(true)
    expect(signingPlan({ CSC_NAME: 'Ada' }, 'linux').signed).toBe(false)
  })

  it('builds unsigned without a certificate, and never picks a keychain identity by itself on macOS', () => {
    expect(signingPlan({}, 'darwin')).toEqual({
      signed: false,
      env: { CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      line: 'unsigned build: no CSC_LINK or CSC_NAME in the environment',
    })
    expect(signingPlan({}, 'win32')).toEqual({
      signed: false,
      env: {},
      line: 'unsigned build: no CSC_LINK in the environment',
    })
  })
})

describe('npm run dist', () => {
  it('packs the installed Electron, or downloads one, or says in one line why it cannot', () => {
    const never = (): string | null => {
      throw new Error('no download expected')
    }
    expect(
      electronForDist({ binary: '/e/electron', env: {}, download: never, found: () => true }),
    ).toEqual({ ok: true })
    const skip = electronForDist({
      binary: null,
      env: { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      download: never,
      found: () => false,
    })
    expect(skip).toMatchObject({
      ok: false,
      line: expect.stringMatching(/ELECTRON_SKIP_BINARY_DOWNLOAD=1/),
    })
    expect(
      electronForDist({ binary: null, env: {}, download: () => null, found: () => true }),
    ).toEqual({ ok: true })
    const failed = electronForDist({
      binary: null,
      env: {},
      download: () => 'getaddrinfo ENOTFOUND github.com',
      found: () => false,
    })
    expect(failed).toEqual({
      ok: false,
      line: "paddock dist: cannot build installers here: Electron's binary could not be downloaded (getaddrinfo ENOTFOUND github.com).",
    })
  })

  it('builds for the current platform and architecture only, never publishing', () => {
    const args = builderArgs({
      root: '/repo',
      platform: 'darwin',
      arch: 'arm64',
      env: {},
      extra: ['--dir'],
    })
    expect(args).toEqual([
      '--mac',
      '--arm64',
      '--publish',
      'never',
      `--config.electronDist=${join('/repo', 'node_modules', 'electron', 'dist')}`,
      '--dir',
    ])
    expect(
      builderArgs({
        root: '/r',
        platform: 'linux',
        arch: 'x64',
        env: { GITHUB_REPOSITORY: 'ada/paddock' },
      }),
    ).toEqual(
      expect.arrayContaining([
        '--linux',
        '--x64',
        '--config.publish.owner=ada',
        '--config.publish.repo=paddock',
      ]),
    )
    expect(
      builderArgs({
        root: '/r',
        platform: 'win32',
        arch: 'x64',
        env: { GITHUB_REPOSITORY: 'not a repo' },
      }).join(' '),
    ).not.toContain('publish.owner')
    expect(() => builderArgs({ root: '/r', platform: 'aix', arch: 'x64', env: {} })).toThrow(
      /not built on aix/,
    )
  })

  it('stops with one line and exit code 1 where no Electron binary can be had', () => {
    const empty = tempDir('paddock-no-electron-')
    try {
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'dist.mjs')], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        // An empty dist folder: no binary here even where Electron is installed.
        env: {
          ...process.env,
          ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
          ELECTRON_OVERRIDE_DIST_PATH: empty.path,
        },
      })
      expect(run.status).toBe(1)
      expect(run.stdout).toBe('')
      expect(run.stderr.trimEnd().split('\n')).toEqual([
        'paddock dist: cannot build installers here: no Electron binary in node_modules/electron and ' +
          'ELECTRON_SKIP_BINARY_DOWNLOAD=1 forbids downloading one (installers are built on CI, see docs/install.md).',
      ])
    } finally {
      empty.cleanup()
    }
  })
})
