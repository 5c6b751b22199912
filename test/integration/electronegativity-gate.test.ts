import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'

const GATE = join(REPO_ROOT, 'scripts', 'electronegativity.mjs')

function runGate(dir?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      dir ? [GATE, dir] : [GATE],
      { cwd: REPO_ROOT, timeout: 200_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number) : 0
        resolve({ code: typeof code === 'number' ? code : -1, stdout, stderr })
      },
    )
  })
}

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
  // An app that gives a remote page Node: the scanner's HIGH finding.
  mkdirSync(join(tmp.path, 'app'))
  writeFileSync(
    join(tmp.path, 'app', 'main.js'),
    [
      "const { BrowserWindow } = require('electron')",
      'const win = new BrowserWindow({',
      '  webPreferences: { nodeIntegration: true, contextIsolation: false },',
      '})',
      "win.loadURL('https://example.com/')",
      '',
    ].join('\n'),
  )
})
afterAll(() => tmp.cleanup())

describe('the lint’s Electron security scan', () => {
  it('fails on a window with Node and no context isolation, naming the finding on one line', async () => {
    const { code, stdout } = await runGate(join(tmp.path, 'app'))
    expect(code).toBe(1)
    const lines = stdout.split('\n').filter((l) => l.startsWith('electronegativity: HIGH '))
    expect(lines.some((l) => l.includes('CONTEXT_ISOLATION_JS_CHECK main.js:3:'))).toBe(true)
    expect(stdout).toMatch(/HIGH\/MEDIUM finding\(s\)/)
  }, 240_000)

  it('passes on the app’s own sources, whose accepted findings carry eng-disable reasons', async () => {
    const { code, stdout, stderr } = await runGate()
    expect(stderr + stdout).toMatch(/no HIGH or MEDIUM finding in \S*src \(\d+ lower\)\n/)
    expect(code).toBe(0)
  }, 240_000)

  it('the accepted findings are accepted by their eng-disable comments alone', async () => {
    const dir = join(tmp.path, 'stripped')
    mkdirSync(dir)
    const source = readFileSync(join(REPO_ROOT, 'src', 'main', 'desktop', 'window.ts'), 'utf8')
    expect(source).toMatch(/eng-disable AUXCLICK_JS_CHECK \(reason: /)
    writeFileSync(join(dir, 'window.ts'), source.replaceAll('eng-disable', 'eng-comment'))
    const { code, stdout } = await runGate(dir)
    expect(code).toBe(1)
    expect(stdout).toMatch(/MEDIUM AUXCLICK_JS_CHECK window\.ts:\d+/)
    expect(stdout).toMatch(/MEDIUM PRELOAD_JS_CHECK window\.ts:\d+/)
  }, 240_000)

  it('fails on a file it cannot parse: that file would not have been checked', async () => {
    const dir = join(tmp.path, 'unreadable')
    mkdirSync(dir)
    writeFileSync(join(dir, 'broken.js'), 'const x = {{{ not javascript\n')
    const { code, stdout } = await runGate(dir)
    expect(code).toBe(1)
    expect(stdout).toMatch(/cannot parse .*broken\.js/)
    expect(stdout).toMatch(/1 unreadable file\(s\)/)
  }, 240_000)

  it('is part of npm run lint', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(pkg.scripts.lint).toContain('node scripts/electronegativity.mjs')
  })
})
