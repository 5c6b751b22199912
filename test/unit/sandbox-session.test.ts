import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { probeSandbox } from '../../src/main/sandbox/availability'
import { findGitLayout } from '../../src/main/sandbox/git-layout'
import { SessionSandboxes } from '../../src/main/sandbox/session-sandbox'
import type { SandboxMode } from '../../src/main/sandbox/policy'
import { sandboxFlag } from '../../src/main/cli/run-flags'

function sandboxes(opts: {
  mode?: SandboxMode
  override?: SandboxMode
  platform?: NodeJS.Platform
  ok?: boolean
}): SessionSandboxes {
  return new SessionSandboxes({
    dataDir: '/data',
    home: '/home/u',
    platform: opts.platform ?? 'linux',
    arch: 'x64',
    settings: () => (opts.mode ? { mode: opts.mode } : {}),
    ...(opts.override ? { override: opts.override } : {}),
    otherFolders: () => ['/r.worktrees/other'],
    probe: () =>
      opts.ok === false
        ? { ok: false, reason: 'bubblewrap (bwrap) is not installed.', fix: 'Install it.' }
        : { ok: true, bwrap: '/usr/bin/bwrap', seccomp: true },
  })
}

describe('the session sandboxes', () => {
  it('confine by default, and never start the shell unconfined when the sandbox cannot start', () => {
    expect(sandboxes({}).state()).toEqual({
      mode: 'workspace-write',
      network: false,
      unavailable: null,
    })
    const broken = sandboxes({ ok: false })
    expect(broken.state().unavailable).toBe('bubblewrap (bwrap) is not installed. Install it.')
    const wrapped = broken.wrap('s1', '/w', '/w', '/bin/bash', ['-i'])
    expect(wrapped).toEqual({
      error: expect.stringMatching(
        /^The sandbox cannot start: bubblewrap \(bwrap\) is not installed\. Install it\. .*paddock settings set sandbox\.mode off/,
      ),
    })
    expect(broken.confinement('s1', '/w')).toBeNull()
  })

  it('run unconfined only when off is chosen (the setting, or the run flag over it)', () => {
    expect(
      sandboxes({ mode: 'off', ok: false }).wrap('s1', '/w', '/w', '/bin/bash', ['-i']),
    ).toEqual({ file: '/bin/bash', args: ['-i'] })
    const flagged = sandboxes({ mode: 'workspace-write', override: 'off' })
    expect(flagged.state().mode).toBe('off')
    expect(flagged.confinement('s1', '/w')).toBeNull()
    expect(sandboxFlag('off')).toBe('off')
    expect(sandboxFlag(undefined)).toBeUndefined()
    expect(() => sandboxFlag('strict')).toThrow(/--sandbox must be off or workspace-write/)
  })

  it('hide the data folder, the keys and other sessions, and write only the folder, /tmp and spill', () => {
    const p = sandboxes({}).policy('s1', '/w', false)
    expect(p.hidden).toEqual(
      expect.arrayContaining(['/data', '/home/u/.ssh', '/r.worktrees/other']),
    )
    expect(sandboxes({}).confinement('s1', '/w')).toEqual({
      writable: ['/w', '/tmp', '/data/spill/s1'],
      hidden: p.hidden,
      network: false,
    })
  })

  it('say on Windows that there is no sandbox, and default to off there', () => {
    expect(probeSandbox('win32')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('Windows'),
    })
    const win = sandboxes({ platform: 'win32', ok: false }).state()
    expect(win).toMatchObject({
      mode: 'off',
      unavailable: expect.stringContaining('not installed'),
    })
    expect(sandboxes({ mode: 'off', ok: false }).state().unavailable).toBeNull()
  })
  it("drop a deleted session's private /tmp, and only its own", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paddock-sbx-'))
    try {
      const s = new SessionSandboxes({
        dataDir,
        home: '/home/u',
        platform: 'linux',
        arch: 'x64',
        settings: () => ({}),
        otherFolders: () => [],
      })
      for (const id of ['s1', 's2']) {
        mkdirSync(join(dataDir, 'sandbox', 'tmp', id), { recursive: true })
        writeFileSync(join(dataDir, 'sandbox', 'tmp', id, 'f'), 'x')
      }
      s.forget('s1')
      expect(existsSync(join(dataDir, 'sandbox', 'tmp', 's1'))).toBe(false)
      expect(existsSync(join(dataDir, 'sandbox', 'tmp', 's2', 'f'))).toBe(true)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
  it('find the git folders of a checkout, and the branch a rebase rewrites while HEAD is detached', () => {
    const root = mkdtempSync(join(tmpdir(), 'paddock-sbx-git-'))
    try {
      const git = join(root, 'repo', '.git')
      mkdirSync(join(git, 'rebase-merge'), { recursive: true })
      mkdirSync(join(root, 'repo', 'sub'))
      writeFileSync(join(git, 'HEAD'), 'ref: refs/heads/main\n')
      expect(findGitLayout(join(root, 'repo', 'sub'))).toEqual({
        dotGit: git,
        gitDir: git,
        commonDir: git,
        linked: false,
        branchRef: 'refs/heads/main',
      })
      writeFileSync(join(git, 'HEAD'), '0123456789abcdef0123456789abcdef01234567\n')
      expect(findGitLayout(join(root, 'repo'))?.branchRef).toBeNull()
      writeFileSync(join(git, 'rebase-merge', 'head-name'), 'refs/heads/paddock/x\n')
      expect(findGitLayout(join(root, 'repo'))?.branchRef).toBe('refs/heads/paddock/x')
      // A linked worktree: its .git file points at <common>/worktrees/<name>.
      const admin = join(git, 'worktrees', 'wt')
      mkdirSync(admin, { recursive: true })
      writeFileSync(join(admin, 'HEAD'), 'ref: refs/heads/paddock/wt\n')
      writeFileSync(join(admin, 'commondir'), '../..\n')
      mkdirSync(join(root, 'wt'))
      writeFileSync(join(root, 'wt', '.git'), `gitdir: ${admin}\n`)
      expect(findGitLayout(join(root, 'wt'))).toEqual({
        dotGit: join(root, 'wt', '.git'),
        gitDir: admin,
        commonDir: git,
        linked: true,
        branchRef: 'refs/heads/paddock/wt',
      })
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
