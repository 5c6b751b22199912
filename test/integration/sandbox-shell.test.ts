import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { shellInterruptTool } from '../../src/main/tools/shell-interrupt'
import { eraseTool } from '../../src/main/tools/registry'
import { git } from '../support/git-repo'
import { sandboxFixture, type SandboxFixture } from '../support/sandbox-fixture'
import { waitUntil } from '../support/wait'

const interrupt = eraseTool(shellInterruptTool)
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim()

let server: Server | null = null
afterEach(() => {
  server?.close()
  server = null
})

/** A loopback server on the host that answers every connection with "hello". */
async function loopbackServer(): Promise<number> {
  server = createServer((sock) => sock.end('hello\n'))
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  const addr = server.address()
  if (!addr || typeof addr === 'string') throw new Error('no port')
  return addr.port
}

const connect = (port: number): string =>
  `${PYTHON} -c "import socket; s=socket.create_connection(('127.0.0.1', ${port}), 3); print(s.recv(10).decode().strip())"`

/** The same escapes, run with the sandbox on, then off: they fail inside and succeed outside. */
async function escapes(f: SandboxFixture): Promise<Record<string, boolean>> {
  const ok = async (cmd: string, session = 'inplace'): Promise<boolean> =>
    !(await f.bash(cmd, session)).isError
  return {
    writeHome: await ok(`echo x > ${join(f.home, 'planted.txt')}`),
    readSsh: await ok(`cat ${join(f.home, '.ssh', 'id_ed25519')}`),
    readSecrets: await ok(`cat ${join(f.dataDir, 'secrets.json')}`),
    writeBashrc: await ok(`echo 'curl evil' >> ${join(f.home, '.bashrc')}`),
    hook: await ok(`echo 'touch pwned' > ${join(f.repo, '.git', 'hooks', 'post-commit')}`),
    gitConfig: await ok(`git config core.hooksPath /var/tmp`),
    tiocsti: await ok(
      `${PYTHON} -c "import fcntl, termios; fcntl.ioctl(open('/dev/tty'), termios.TIOCSTI, b' ')"`,
    ),
    otherWorktree: await ok(`cat ${join(f.otherWorktree, 'theirs.txt')}`, 'wt'),
  }
}

describe.runIf(process.platform === 'linux' && existsSync('/usr/bin/bwrap'))(
  'the agent shell in the sandbox (real bubblewrap, real PTY)',
  () => {
    it('refuses every escape inside, and the same commands succeed with the sandbox off', async () => {
      const f = sandboxFixture()
      expect(f.sandboxes.availability()).toMatchObject({ ok: true })
      const inside = await escapes(f)
      expect(inside).toEqual({
        writeHome: false,
        readSsh: false,
        readSecrets: false,
        writeBashrc: false,
        hook: false,
        gitConfig: false,
        tiocsti: false,
        otherWorktree: false,
      })
      const g = sandboxFixture()
      g.settings.mode = 'off'
      expect((await g.bash(`cat ${join(g.home, 'nothing-here')}`)).details?.blocked).toBeUndefined()
      const outside = await escapes(g)
      expect(Object.values(outside).every(Boolean)).toBe(true)
      expect(readFileSync(join(g.home, 'planted.txt'), 'utf8')).toBe('x\n')
    })

    it('writes in the session folder and its own /tmp, and hides the data folder and ~/.ssh', async () => {
      const f = sandboxFixture()
      const w = await f.bash('echo made > new.txt && echo t > /tmp/t && cat /tmp/t')
      expect(w.content).toBe('t\n\nExit code: 0')
      expect(readFileSync(join(f.repo, 'new.txt'), 'utf8')).toBe('made\n')
      // The data folder shows only what is mounted back: the shell's scripts and its spill folder.
      const data = await f.bash(`ls -A1 ${f.dataDir}`)
      expect(data.content).toBe('shell-integration\nspill\n\nExit code: 0')
      const ssh = await f.bash(`ls -A ${join(f.home, '.ssh')} | wc -l`)
      expect(ssh.content).toBe('0\n\nExit code: 0')
      const out = await f.bash(`touch ${join(f.root, 'outside')}`)
      expect(out.isError).toBe(true)
      expect(out.content).toContain('Read-only file system')
      expect(out.content.split('\n')[0]).toBe(
        `Blocked by the sandbox: writing ${join(f.root, 'outside')} (outside this session's folder). Do not retry it another way; say what you needed, and the user can run the command outside the sandbox.`,
      )
      expect(out.details?.blocked).toEqual({ kind: 'write', what: join(f.root, 'outside') })
      const secret = await f.bash(`cat ${join(f.home, '.ssh', 'id_ed25519')}`)
      expect(secret.details?.blocked).toEqual({
        kind: 'read',
        what: join(f.home, '.ssh', 'id_ed25519'),
      })
      // A failure of the command's own (inside the folder) is not the sandbox's.
      const own = await f.bash('cat missing.txt')
      expect(own.isError).toBe(true)
      expect(own.details?.blocked).toBeUndefined()
      expect(existsSync(join(f.root, 'outside'))).toBe(false)
    })

    it('keeps the folder and variables between commands, and runs node, npm and python3', async () => {
      const f = sandboxFixture()
      await f.bash('mkdir -p sub && cd sub && export KEEP=kept')
      const r = await f.bash('pwd; echo $KEEP')
      expect(r.content).toBe(`${join(f.repo, 'sub')}\nkept\n\nExit code: 0`)
      const tools = await f.bash(
        `node -e "console.log(6*7)" && ${PYTHON} -c "print(2**5)" && npm --version >/dev/null && echo npm-ok`,
      )
      expect(tools.content).toBe('42\n32\nnpm-ok\n\nExit code: 0')
      // npm writes its cache and logs to the private /tmp, its lock file to the folder.
      const npm = await f.bash(
        'npm init -y >/dev/null && npm install --offline --no-audit --no-fund >/dev/null && ls package-lock.json',
      )
      expect(npm.content).toBe('package-lock.json\n\nExit code: 0')
    })

    it('commits in place, and in a worktree session, while hooks and config stay read-only', async () => {
      const f = sandboxFixture()
      const inPlace = await f.bash(
        'echo b > b.txt && git add -A && git commit -qm in-place && echo ok',
      )
      expect(inPlace.content).toBe('ok\n\nExit code: 0')
      expect(git(f.repo, 'log', '-1', '--format=%s').trim()).toBe('in-place')
      const inWt = await f.bash(
        'echo c > c.txt && git add -A && git commit -qm in-worktree && echo ok',
        'wt',
      )
      expect(inWt.content).toBe('ok\n\nExit code: 0')
      expect(git(f.worktree, 'log', '-1', '--format=%s').trim()).toBe('in-worktree')
      expect(git(f.repo, 'reflog', '-1', '--format=%s', 'paddock/wt')).toContain('in-worktree')
      for (const cmd of [
        `echo x > ${join(f.repo, '.git', 'hooks', 'post-commit')}`,
        `echo x >> ${join(f.repo, '.git', 'config')}`,
        `git update-ref refs/heads/main HEAD~0`,
        `echo gitdir: /var/tmp > ${join(f.worktree, '.git')}`,
      ]) {
        const r = await f.bash(cmd, 'wt')
        expect(r.isError, cmd).toBe(true)
      }
      const moved = await f.bash('mv .git .git-old')
      expect(moved.isError).toBe(true)
      expect(existsSync(join(f.repo, '.git', 'HEAD'))).toBe(true)
      expect(readdirSync(join(f.repo, '.git', 'hooks')).includes('post-commit')).toBe(false)
    })

    it('reaches a loopback server outside only with the network on', async () => {
      const port = await loopbackServer()
      const f = sandboxFixture()
      const off = await f.bash(connect(port))
      expect(off.isError).toBe(true)
      expect(off.content).toContain('Connection refused')
      expect(off.details?.blocked).toMatchObject({ kind: 'network' })
      expect(off.content).toMatch(/^Blocked by the sandbox: a .*network is off/)
      const g = sandboxFixture()
      g.settings.network = 'on'
      expect((await g.bash(connect(port))).content).toBe('hello\n\nExit code: 0')
      const h = sandboxFixture()
      h.settings.mode = 'off'
      expect((await h.bash(connect(port))).content).toBe('hello\n\nExit code: 0')
    })

    it('sends Ctrl-C and abort to the command', async () => {
      const f = sandboxFixture()
      const r = await f.bash('echo going; sleep 60', 'inplace', { timeout_ms: 500 })
      expect(r.details).toMatchObject({ running: true })
      const stopped = await f.tool(interrupt, { handle: r.details!.handle })
      expect(stopped.details).toMatchObject({ running: false, exitCode: 130, interrupted: true })
      const ac = new AbortController()
      const run = f.tool(
        eraseTool((await import('../../src/main/tools/bash')).bashTool),
        { command: 'echo started; sleep 60' },
        'inplace',
        ac.signal,
      )
      const [info] = await f.manager.list('inplace')
      await waitUntil(() => f.manager['terminals'].get(info!.terminalId)!.busy === 'agent')
      ac.abort()
      const aborted = await run
      expect(aborted.content).toContain('Aborted: Ctrl-C was sent and the command ended')
      expect((await f.bash('echo alive')).content).toBe('alive\n\nExit code: 0')
    })

    it('confines a command run as a process when there is no PTY', async () => {
      const f = sandboxFixture({ noPty: true })
      const inside = await f.bash('echo made > p.txt && cat p.txt')
      expect(inside.content).toContain('made')
      expect(inside.details).toMatchObject({ fallback: expect.stringContaining('node-pty') })
      const out = await f.bash(`echo x > ${join(f.home, 'planted.txt')}`)
      expect(out.isError).toBe(true)
      expect(out.content).toContain('Read-only file system')
      expect(existsSync(join(f.home, 'planted.txt'))).toBe(false)
    })

    it('ends every process inside with the session', async () => {
      const f = sandboxFixture()
      const marker = `sleep 4242.${process.pid}`
      await f.bash(`(${marker} &) ; ${marker} & echo started`)
      const running = (): number =>
        readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .filter((p) => {
            try {
              return (
                readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() === marker
              )
            } catch {
              return false
            }
          }).length
      await waitUntil(() => running() === 2, 20_000, 'both sleeps')
      f.manager.shutdown()
      await waitUntil(() => running() === 0, 20_000, 'the sleeps to end with the session')
      expect(running()).toBe(0)
    })
  },
)
