import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'

/**
 * `npm test` on a machine without a browser for Playwright: its first step says how to get one,
 * before the long steps. The check runs as a child process with PADDOCK_CHROMIUM and Playwright's
 * browser folder pointing where there is nothing (or something).
 */
let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
  mkdirSync(join(tmp.path, 'no-browsers'))
})
afterAll(() => tmp.cleanup())

function check(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'check-browser.mjs')], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, PLAYWRIGHT_BROWSERS_PATH: join(tmp.path, 'no-browsers'), ...env },
  })
  return { status: res.status, stdout: res.stdout, stderr: res.stderr }
}

describe('npm test without a browser', () => {
  it('is stopped by its first step with one line saying how to get one', () => {
    const res = check({ PADDOCK_CHROMIUM: join(tmp.path, 'nothing-here') })
    expect(res.status).toBe(1)
    expect(res.stdout).toBe('')
    expect(res.stderr).toBe(
      `npm test: No Chromium for the e2e tests (PADDOCK_CHROMIUM=${join(tmp.path, 'nothing-here')} ` +
        'does not exist): install one with "sudo apt-get install -y chromium" or ' +
        '"npx playwright install chromium", or set PADDOCK_CHROMIUM to a Chromium binary.\n',
    )
    const scripts = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>
      }
    ).scripts
    expect(scripts.test!.startsWith('node scripts/check-browser.mjs && ')).toBe(true)
  })

  it('passes quietly when PADDOCK_CHROMIUM names a browser', () => {
    const browser = join(tmp.path, 'chromium')
    writeFileSync(browser, '')
    expect(check({ PADDOCK_CHROMIUM: browser })).toEqual({ status: 0, stdout: '', stderr: '' })
  })
})
