import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionSandboxes } from '../../src/main/sandbox/session-sandbox'
import type { SandboxMode } from '../../src/main/sandbox/policy'

let dataDir = ''
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

function sandboxes(mode: SandboxMode, ok: boolean): SessionSandboxes {
  dataDir = mkdtempSync(join(tmpdir(), 'paddock-mcp-sandbox-'))
  return new SessionSandboxes({
    dataDir,
    home: '/home/u',
    platform: 'linux',
    arch: 'x64',
    settings: () => ({ mode }),
    otherFolders: () => [],
    probe: () =>
      ok
        ? { ok: true, bwrap: '/usr/bin/bwrap', seccomp: false }
        : { ok: false, reason: 'bubblewrap (bwrap) is not installed.', fix: 'Install it.' },
  })
}

describe('an MCP server marked sandboxed', () => {
  it('starts inside bwrap in a folder of its own, or in the workspace for a workspace’s server', () => {
    const own = sandboxes('workspace-write', true).wrapServer('fx', undefined, 'node', ['s.mjs'])
    if ('error' in own) throw new Error(own.error)
    expect(own.cwd).toBe(join(dataDir, 'sandbox', 'mcp', 'mcp-fx'))
    expect(statSync(own.cwd).isDirectory()).toBe(true)
    const line = [own.file, ...own.args].join(' ')
    expect(line).toContain('/usr/bin/bwrap')
    expect(line).toContain('--unshare-net')
    // No job control to keep: no controlling terminal to type into either.
    expect(line).toContain('--new-session')
    expect(line).toContain(`--bind ${own.cwd} ${own.cwd}`)
    expect(line).toMatch(/node s\.mjs/)
    const ws = sandboxes('workspace-write', true).wrapServer('a b', '/work/project', 'srv', [])
    if ('error' in ws) throw new Error(ws.error)
    expect(ws.cwd).toBe('/work/project')
  })

  it('a server run from a project under /tmp (private inside) is shown that project read-only', () => {
    const sb = sandboxes('workspace-write', true)
    // Under /tmp itself (whatever TMPDIR says): the private /tmp hides exactly that.
    const project = mkdtempSync('/tmp/paddock-checkout-')
    mkdirSync(join(project, 'bin'), { recursive: true })
    writeFileSync(join(project, 'package.json'), '{}')
    writeFileSync(join(project, 'bin', 'server.mjs'), '')
    const spawn = sb.wrapServer('fx', undefined, 'node', [join(project, 'bin', 'server.mjs')])
    if ('error' in spawn) throw new Error(spawn.error)
    const line = [spawn.file, ...spawn.args].join(' ')
    rmSync(project, { recursive: true, force: true })
    expect(line).toContain(`--ro-bind ${project} ${project}`)
  })

  it('runs as configured when the sandbox is off, and never unconfined when it cannot start', () => {
    const off = sandboxes('off', true).wrapServer('fx', undefined, 'node', ['s.mjs'])
    expect(off).toMatchObject({ file: 'node', args: ['s.mjs'] })
    const broken = sandboxes('workspace-write', false).wrapServer('fx', undefined, 'node', [])
    expect(broken).toEqual({
      error: expect.stringContaining('The sandbox cannot start: bubblewrap'),
    })
  })
})
