import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import { readYaml } from '../support/yaml'
import { mergeMacUpdateFiles, mergeUpdateInfo } from '../../scripts/packaging/merge-update-info.mjs'

interface Step {
  name?: string
  run?: string
  uses?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}
interface Job {
  'runs-on': string
  if?: string
  needs?: string
  strategy?: { matrix: { include: Array<{ os: string; name: string }> } }
  steps: Step[]
}
interface Workflow {
  on: { push: { tags: string[] } }
  jobs: Record<string, Job>
}

const workflow = readYaml(join(REPO_ROOT, '.github', 'workflows', 'release.yml')) as Workflow

let cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups) c()
  cleanups = []
})

describe('the release workflow', () => {
  const build = workflow.jobs.build!
  const runs = build.steps.map((s) => s.run ?? '')

  it('builds on Linux, Windows and both Mac architectures', () => {
    const oses = build.strategy!.matrix.include.map((m) => m.os)
    expect(oses).toEqual(
      expect.arrayContaining(['ubuntu-latest', 'windows-latest', 'macos-latest']),
    )
    expect(build.strategy!.matrix.include.map((m) => m.name)).toEqual([
      'linux-x64',
      'windows-x64',
      'mac-arm64',
      'mac-x64',
    ])
  })

  it('installs, tests (under xvfb on Linux, where the Electron smoke test needs a display), then builds installers', () => {
    const at = (text: string): number => runs.findIndex((r) => r.includes(text))
    expect(at('npm ci')).toBeGreaterThanOrEqual(0)
    expect(at('findElectronBinary')).toBeGreaterThan(at('npm ci'))
    expect(at('npm run native:electron')).toBeGreaterThan(at('npm ci'))
    const linuxTest = build.steps.find((s) => s.run === 'xvfb-run -a npm test')
    expect(linuxTest?.if).toBe("runner.os == 'Linux'")
    expect(build.steps.find((s) => s.run === 'npm test')?.if).toBe("runner.os != 'Linux'")
    expect(at('npm run dist')).toBeGreaterThan(at('xvfb-run -a npm test'))
    // The smoke test is part of npm test's e2e run.
    expect(readFileSync(join(REPO_ROOT, 'test', 'e2e', 'electron.spec.ts'), 'utf8')).toContain(
      '_electron as electron',
    )
  })

  it('signs from secrets only, and uploads the installers and update files', () => {
    const dist = build.steps.find((s) => s.run === 'npm run dist')!
    expect(Object.keys(dist.env ?? {}).sort()).toEqual([
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_ID',
      'APPLE_TEAM_ID',
      'CSC_KEY_PASSWORD',
      'CSC_LINK',
    ])
    for (const value of Object.values(dist.env ?? {}))
      expect(value).toMatch(/^\$\{\{ secrets\.\w+ \}\}$/)
    const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!
    const paths = String(upload.with?.path)
    for (const ext of ['AppImage', 'deb', 'dmg', 'zip', 'exe', 'yml', 'blockmap']) {
      expect(paths).toContain(`dist/*.${ext}`)
    }
  })

  it('makes a draft release on a version tag only, after every build', () => {
    expect(workflow.on.push.tags).toEqual(['v*'])
    const release = workflow.jobs.release!
    expect(release.if).toBe("startsWith(github.ref, 'refs/tags/v')")
    expect(release.needs).toBe('build')
    const create = release.steps.find((s) => s.run?.includes('gh release create'))
    expect(create?.run).toContain('--draft')
    expect(release.steps.some((s) => s.run?.includes('merge-update-info.mjs'))).toBe(true)
  })
})

describe('merging the Mac update files of the two architectures', () => {
  const arm = {
    version: '1.2.0',
    files: [{ url: 'Paddock-1.2.0-arm64-mac.zip', sha512: 'a', size: 1 }],
    path: 'Paddock-1.2.0-arm64-mac.zip',
    sha512: 'a',
    releaseDate: '2026-01-01T00:00:00.000Z',
  }
  const x64 = { ...arm, files: [{ url: 'Paddock-1.2.0-mac.zip', sha512: 'b', size: 2 }] }

  it('lists both files, once each, in one file per channel', () => {
    expect(mergeUpdateInfo(arm, x64).files.map((f) => f.url)).toEqual([
      'Paddock-1.2.0-arm64-mac.zip',
      'Paddock-1.2.0-mac.zip',
    ])
    expect(mergeUpdateInfo(arm, arm).files).toHaveLength(1)
    expect(() => mergeUpdateInfo(arm, { ...x64, version: '1.1.0' })).toThrow(/different versions/)

    const t = tempDir('paddock-merge-')
    cleanups.push(t.cleanup)
    const [a, b, out] = ['arm', 'x64', 'out'].map((d) => join(t.path, d))
    for (const d of [a!, b!, out!]) mkdirSync(d)
    const dump = (info: typeof arm): string =>
      `version: ${info.version}\nfiles:\n${info.files.map((f) => `  - url: ${f.url}\n    sha512: ${f.sha512}\n    size: ${f.size}\n`).join('')}path: ${info.path}\nsha512: ${info.sha512}\n`
    writeFileSync(join(a!, 'latest-mac.yml'), dump(arm))
    writeFileSync(join(b!, 'latest-mac.yml'), dump(x64))
    writeFileSync(join(b!, 'beta-mac.yml'), dump(x64))
    writeFileSync(join(b!, 'latest.yml'), 'not a mac file')
    expect(mergeMacUpdateFiles([a!, b!], out!)).toEqual(['beta-mac.yml', 'latest-mac.yml'])
    const merged = readYaml(join(out!, 'latest-mac.yml')) as typeof arm
    expect(merged.files.map((f) => f.url)).toEqual([
      'Paddock-1.2.0-arm64-mac.zip',
      'Paddock-1.2.0-mac.zip',
    ])
    expect(merged.path).toBe('Paddock-1.2.0-arm64-mac.zip')
  })
})
