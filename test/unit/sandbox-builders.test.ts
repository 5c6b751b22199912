import { describe, expect, it } from 'vitest'
import { bwrapArgs, gitMounts, type PathKind } from '../../src/main/sandbox/bwrap-args'
import type { GitLayout } from '../../src/main/sandbox/git-layout'
import type { SandboxPolicy } from '../../src/main/sandbox/policy'
import { secretPaths } from '../../src/main/sandbox/policy'
import { blockedNote, detectBlocked } from '../../src/main/sandbox/blocked'
import { seatbeltProfile } from '../../src/main/sandbox/seatbelt'
import { TIOCSTI, tiocstiFilter, tiocstiFilterBytes } from '../../src/main/sandbox/seccomp'

const policy: SandboxPolicy = {
  root: '/home/u/proj',
  tempDir: '/data/sandbox/tmp/s1',
  writable: ['/data/spill/s1'],
  readable: ['/data/shell-integration'],
  hidden: ['/data', '/home/u/.ssh', '/home/u/.netrc', '/home/u/.aws', '/tmp/x'],
  readOnly: ['/home/u/.bashrc', '/home/u/.gitconfig'],
  network: false,
}
const files = new Set(['/home/u/.netrc', '/home/u/.bashrc', '/tmp/x'])
const missing = new Set(['/home/u/.aws', '/home/u/.gitconfig'])
const kind = (p: string): PathKind => (missing.has(p) ? null : files.has(p) ? 'file' : 'dir')

/** The pairs `--flag a b` of an argument list, as "flag a b" strings, in order. */
function mounts(args: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (['--bind', '--ro-bind'].includes(a)) out.push(`${a} ${args[++i]} ${args[++i]}`)
    else if (a === '--tmpfs') out.push(`${a} ${args[++i]}`)
  }
  return out
}

describe('bwrap arguments', () => {
  it('confines with new namespaces and no new session, and mounts in order', () => {
    const args = bwrapArgs({ policy, git: null, cwd: '/home/u/proj/sub', seccomp: true, kind })
    expect(args).toEqual(
      expect.arrayContaining(['--unshare-user', '--unshare-pid', '--unshare-net']),
    )
    expect(args).toContain('--die-with-parent')
    expect(args).not.toContain('--new-session')
    expect(args.slice(-2)).toEqual(['--seccomp', '3'])
    const at = args.indexOf('--chdir')
    expect(args.slice(at, at + 2)).toEqual(['--chdir', '/home/u/proj/sub'])
    expect(args.join(' ')).toContain('--setenv npm_config_cache /tmp/.npm')
    expect(mounts(args)).toEqual([
      '--ro-bind / /',
      '--bind /data/sandbox/tmp/s1 /tmp',
      '--tmpfs /data',
      '--tmpfs /home/u/.ssh',
      // A hidden file is covered by an empty one; a missing path and one under /tmp are skipped.
      '--ro-bind /dev/null /home/u/.netrc',
      '--ro-bind /data/shell-integration /data/shell-integration',
      '--bind /home/u/proj /home/u/proj',
      '--bind /data/spill/s1 /data/spill/s1',
      '--ro-bind /home/u/.bashrc /home/u/.bashrc',
    ])
  })

  it('shares the network only when allowed, and passes no seccomp fd without a program', () => {
    const on = bwrapArgs({
      policy: { ...policy, network: true },
      git: null,
      cwd: '/',
      seccomp: false,
      kind,
    })
    expect(on).not.toContain('--unshare-net')
    expect(on).toContain('--unshare-pid')
    expect(on).not.toContain('--seccomp')
  })

  it('lets a commit in place write the git folder, objects and the branch ref folder only', () => {
    const git: GitLayout = {
      dotGit: '/home/u/proj/.git',
      gitDir: '/home/u/proj/.git',
      commonDir: '/home/u/proj/.git',
      linked: false,
      branchRef: 'refs/heads/main',
    }
    const m = gitMounts(git, '/home/u/proj').map(
      (x) => `${x.access} ${x.path.replace('/home/u/proj/.git', 'G')}`,
    )
    expect(m).toEqual([
      'rw G',
      'ro G/hooks',
      'ro G/config',
      'ro G/config.worktree',
      'ro G/refs',
      'ro G/packed-refs',
      'ro G/modules',
      'ro G/info',
      'ro G/worktrees',
      'rw G/objects',
      'rw G/refs/heads',
      'rw G/logs/refs/heads',
    ])
  })

  it('lets a worktree session write its own git folder, objects and branch ref folder', () => {
    const git: GitLayout = {
      dotGit: '/r.worktrees/a/.git',
      gitDir: '/r/.git/worktrees/a',
      commonDir: '/r/.git',
      linked: true,
      branchRef: 'refs/heads/paddock/a',
    }
    const m = gitMounts(git, '/r.worktrees/a').map((x) => `${x.access} ${x.path}`)
    // The shared folder lies outside the root: read-only already, so not pinned writable.
    expect(m).not.toContain('rw /r/.git')
    expect(m.slice(-9)).toEqual([
      'ro /r/.git/worktrees',
      'rw /r/.git/objects',
      'rw /r/.git/worktrees/a',
      'ro /r/.git/worktrees/a/commondir',
      'ro /r/.git/worktrees/a/gitdir',
      'ro /r/.git/worktrees/a/config.worktree',
      'rw /r/.git/refs/heads/paddock',
      'rw /r/.git/logs/refs/heads/paddock',
      'ro /r.worktrees/a/.git',
    ])
  })

  it('hides the usual credentials', () => {
    expect(secretPaths('/h')).toEqual(
      expect.arrayContaining(['/h/.ssh', '/h/.aws', '/h/.gnupg', '/h/.config/gh', '/h/.netrc']),
    )
  })
})

describe('the TIOCSTI seccomp program', () => {
  it('checks the architecture, then refuses ioctl(TIOCSTI) with EPERM and allows the rest', () => {
    for (const [arch, audit, nr] of [
      ['x64', 0xc000003e, 16],
      ['arm64', 0xc00000b7, 29],
    ] as const) {
      const p = tiocstiFilter(arch)
      expect(p[0]).toMatchObject({ code: 0x20, k: 4 })
      expect(p[1]).toMatchObject({ code: 0x15, k: audit })
      expect(p[2]).toMatchObject({ code: 0x06, k: 0x80000000 })
      expect(p.some((i) => i.code === 0x15 && i.k === nr)).toBe(true)
      expect(p.some((i) => i.code === 0x15 && i.k === TIOCSTI)).toBe(true)
      expect(p.at(-1)).toMatchObject({ code: 0x06, k: 0x7fff0000 })
      expect(p.at(-2)).toMatchObject({ code: 0x06, k: 0x00050001 })
      // Every jump lands inside the program.
      p.forEach((insn, i) => {
        if (insn.code === 0x15 || insn.code === 0x35) {
          expect(i + 1 + insn.jt).toBeLessThan(p.length)
          expect(i + 1 + insn.jf).toBeLessThan(p.length)
        }
      })
      const bytes = tiocstiFilterBytes(arch)
      expect(bytes.length).toBe(p.length * 8)
      expect(bytes.readUInt32LE(12)).toBe(audit)
    }
  })
})

describe('the Seatbelt profile', () => {
  it('denies writes but to the session, hides secrets, applies git rules in order, no network', () => {
    const git = gitMounts(
      {
        dotGit: '/home/u/proj/.git',
        gitDir: '/home/u/proj/.git',
        commonDir: '/home/u/proj/.git',
        linked: false,
        branchRef: 'refs/heads/main',
      },
      '/home/u/proj',
    )
    const lines = seatbeltProfile(policy, git).trim().split('\n')
    expect(lines.slice(0, 3)).toEqual(['(version 1)', '(allow default)', '(deny file-write*)'])
    expect(lines[3]).toContain('(subpath "/home/u/proj") (subpath "/data/sandbox/tmp/s1")')
    expect(lines).toContain(
      '(deny file-read* file-write* (subpath "/data") (subpath "/home/u/.ssh") (subpath "/home/u/.netrc") (subpath "/home/u/.aws") (subpath "/tmp/x"))',
    )
    const hooks = lines.indexOf('(deny file-write* (subpath "/home/u/proj/.git/hooks"))')
    const refs = lines.indexOf('(deny file-write* (subpath "/home/u/proj/.git/refs"))')
    const heads = lines.indexOf('(allow file-write* (subpath "/home/u/proj/.git/refs/heads"))')
    expect(hooks).toBeGreaterThan(3)
    expect(heads).toBeGreaterThan(refs)
    expect(lines).toContain('(deny network*)')
    expect(seatbeltProfile({ ...policy, network: true })).not.toContain('network')
    expect(seatbeltProfile({ ...policy, root: '/a "b"' })).toContain('(subpath "/a \\"b\\"")')
  })
})

describe('what the sandbox blocked', () => {
  const c = { writable: ['/w', '/tmp'], hidden: ['/data', '/h/.ssh'], network: false }
  it.each([
    ["touch: cannot touch '/etc/x': Read-only file system", { kind: 'write', what: '/etc/x' }],
    ['bash: /h/.bashrc: Read-only file system', { kind: 'write', what: '/h/.bashrc' }],
    [
      "OSError: [Errno 30] Read-only file system: '/usr/lib/x.py'",
      { kind: 'write', what: '/usr/lib/x.py' },
    ],
    ["Error: EROFS: read-only file system, open '/opt/y'", { kind: 'write', what: '/opt/y' }],
    ['cat: /h/.ssh/id_rsa: No such file or directory', { kind: 'read', what: '/h/.ssh/id_rsa' }],
    [
      'curl: (6) Could not resolve host: registry.npmjs.org',
      { kind: 'network', what: 'a connection to registry.npmjs.org' },
    ],
    [
      'ConnectionRefusedError: [Errno 111] Connection refused',
      { kind: 'network', what: 'a network connection' },
    ],
  ])('%s', (line, blocked) => {
    expect(detectBlocked(`x\n${line}\n`, c)).toEqual(blocked)
  })

  it('leaves failures inside the writable folders and the network when it is on alone', () => {
    expect(detectBlocked("touch: cannot touch '/w/a': Permission denied", c)).toBeNull()
    expect(detectBlocked("cp: cannot create '/tmp/q': Permission denied", c)).toBeNull()
    expect(detectBlocked('cat: /w/missing: No such file or directory', c)).toBeNull()
    expect(detectBlocked('curl: (7) Connection refused', { ...c, network: true })).toBeNull()
    expect(blockedNote({ kind: 'write', what: '/etc/x' })).toMatch(
      /^Blocked by the sandbox: writing \/etc\/x \(outside this session's folder\)\./,
    )
  })
})
