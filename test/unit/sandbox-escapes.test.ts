import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PathKind } from '../../src/main/sandbox/bwrap-args'
import { bwrapArgs, gitMounts } from '../../src/main/sandbox/bwrap-args'
import { findGitLayout, isSafeBranchRef } from '../../src/main/sandbox/git-layout'
import type { SandboxPolicy } from '../../src/main/sandbox/policy'
import { hostSockets } from '../../src/main/sandbox/policy'
import { seatbeltProfile } from '../../src/main/sandbox/seatbelt'

/** Ways out of the sandbox found in review, each closed. */
let tmp = ''
afterEach(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
  tmp = ''
})

function repo(): string {
  tmp = mkdtempSync(join(tmpdir(), 'paddock-escape-'))
  const root = join(tmp, 'proj')
  mkdirSync(join(root, '.git', 'refs', 'heads'), { recursive: true })
  mkdirSync(join(root, '.git', 'objects'), { recursive: true })
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n')
  return root
}

describe('git state the agent can write does not choose what the sandbox mounts', () => {
  it('a HEAD naming a branch that climbs out of refs/heads is ignored', () => {
    const root = repo()
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/../../../../.local/bin/x\n')
    expect(findGitLayout(root)?.branchRef).toBeNull()
    expect(isSafeBranchRef('refs/heads/paddock/fix-tests')).toBe(true)
    for (const bad of [
      'refs/heads/../x',
      'refs/heads/a//b',
      'refs/heads/.hidden',
      'refs/heads/x.lock',
      'refs/tags/v1',
    ]) {
      expect(isSafeBranchRef(bad)).toBe(false)
    }
  })

  it('a link planted under refs/heads is not made writable where it points', () => {
    const root = repo()
    const outside = join(tmp, 'home-bin')
    mkdirSync(outside)
    symlinkSync(outside, join(root, '.git', 'refs', 'heads', 'evil'))
    writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/evil/branch\n')
    const git = findGitLayout(root)!
    expect(git.branchRef).toBe('refs/heads/evil/branch')
    const rw = gitMounts(git, root)
      .filter((m) => m.access === 'rw')
      .map((m) => m.path)
    expect(rw).not.toContain(join(root, '.git', 'refs', 'heads', 'evil'))
    expect(rw).toContain(join(root, '.git', 'objects'))
  })

  it("a commondir written into a checkout's own .git is not followed", () => {
    const root = repo()
    writeFileSync(join(root, '.git', 'commondir'), join(tmp, 'elsewhere'))
    expect(findGitLayout(root)?.commonDir).toBe(join(root, '.git'))
  })
})

const kindOf =
  (dirs: string[]) =>
  (p: string): PathKind =>
    dirs.includes(p) ? 'dir' : null

describe('hidden paths inside the writable folder stay hidden', () => {
  it('a workspace that is the home folder: ~/.ssh hidden again after the bind; data re-bound', () => {
    const policy: SandboxPolicy = {
      root: '/home/u',
      tempDir: '/home/u/.paddock/sandbox/tmp/s1',
      writable: ['/home/u/.paddock/spill/s1'],
      readable: [],
      hidden: ['/home/u/.paddock', '/home/u/.ssh'],
      readOnly: [],
      network: false,
    }
    const kind = kindOf([
      '/home/u',
      '/home/u/.ssh',
      '/home/u/.paddock',
      '/home/u/.paddock/spill/s1',
      policy.tempDir,
    ])
    const args = bwrapArgs({ policy, git: null, cwd: '/home/u', seccomp: false, kind }).join(' ')
    const bindHome = args.indexOf('--bind /home/u /home/u')
    expect(bindHome).toBeGreaterThan(0)
    expect(args.lastIndexOf('--tmpfs /home/u/.ssh')).toBeGreaterThan(bindHome)
    expect(args.lastIndexOf('--tmpfs /home/u/.paddock')).toBeGreaterThan(bindHome)
    expect(
      args.lastIndexOf('--bind /home/u/.paddock/spill/s1 /home/u/.paddock/spill/s1'),
    ).toBeGreaterThan(args.lastIndexOf('--tmpfs /home/u/.paddock'))
  })

  it("the user's session bus, keyring and Docker are out of reach, and their variables unset", () => {
    expect(hostSockets({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toEqual(
      expect.arrayContaining(['/run/user/1000', '/var/run/docker.sock', '/run/dbus']),
    )
    const policy: SandboxPolicy = {
      root: '/w',
      tempDir: '/d/tmp',
      writable: [],
      readable: [],
      hidden: ['/run/user/1000'],
      readOnly: [],
      network: false,
    }
    const args = bwrapArgs({
      policy,
      git: null,
      cwd: '/w',
      seccomp: false,
      kind: kindOf(['/w', '/d/tmp', '/run/user/1000']),
    }).join(' ')
    expect(args).toContain('--tmpfs /run/user/1000')
    expect(args).toContain('--unsetenv SSH_AUTH_SOCK')
    expect(args).toContain('--unsetenv DBUS_SESSION_BUS_ADDRESS')
  })

  it('macOS: the temp and spill folders inside the hidden data folder are allowed again after it', () => {
    const profile = seatbeltProfile({
      root: '/Users/u/proj',
      tempDir: '/Users/u/Library/Paddock/sandbox/tmp/s1',
      writable: ['/Users/u/Library/Paddock/spill/s1'],
      readable: [],
      hidden: ['/Users/u/Library/Paddock', '/Users/u/.ssh'],
      readOnly: [],
      network: false,
    })
    const deny = profile.indexOf(
      '(deny file-read* file-write* (subpath "/Users/u/Library/Paddock")',
    )
    const allow = profile.indexOf(
      '(allow file-read* file-write* (subpath "/Users/u/Library/Paddock/sandbox/tmp/s1")',
    )
    expect(deny).toBeGreaterThan(0)
    expect(allow).toBeGreaterThan(deny)
    expect(profile).not.toMatch(/allow file-read\* file-write\* \(subpath "\/Users\/u\/proj"\)/)
    // Nothing started outside on the agent's behalf: LaunchServices, AppleScript, launchd.
    expect(profile).toContain('(deny process-exec (literal "/usr/bin/open")')
    expect(profile).toContain('(global-name "com.apple.coreservices.launchservicesd")')
  })
})
