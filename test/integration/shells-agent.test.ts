import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EphemeralEvent } from '../../src/shared/events'
import { createMemoryLogger } from '../../src/main/core/logger'
import { ShellManager } from '../../src/main/shells/shell-manager'
import { bashTool } from '../../src/main/tools/bash'
import { createToolContext } from '../../src/main/tools/context'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import { fixture, screenText } from '../support/shell-fixture'
import { shellInterruptTool } from '../../src/main/tools/shell-interrupt'
import { shellReadTool } from '../../src/main/tools/shell-read'
import { shellWriteTool } from '../../src/main/tools/shell-write'
import { tempDir } from '../support/temp'

/** The real python, not a version manager's shim (the shells run with a temp HOME). */
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim()

const read = eraseTool(shellReadTool)
const write = eraseTool(shellWriteTool)
const interrupt = eraseTool(shellInterruptTool)

describe('the agent shell', () => {
  for (const shell of ['/bin/bash', '/usr/bin/zsh', '/usr/bin/dash']) {
    it.skipIf(!existsSync(shell))(
      `keeps the folder and exported variables between commands (${shell})`,
      async () => {
        const f = fixture({ shell })
        const first = await f.bash('cd sub && export X=1')
        expect(first.content).toBe('(no output)\n\nExit code: 0')
        const second = await f.bash('pwd; echo $X')
        expect(second.content).toBe(`${join(f.workspace, 'sub')}\n1\n\nExit code: 0`)
        const multi = await f.bash('for i in 1 2; do\n  echo "line $i"\ndone\necho after')
        expect(multi.content).toBe('line 1\nline 2\nafter\n\nExit code: 0')
      },
    )
  }

  it('reports exit codes', async () => {
    const f = fixture()
    const t = await f.bash('true')
    expect([t.isError, t.details?.exitCode]).toEqual([false, 0])
    const fl = await f.bash('false')
    expect([fl.isError, fl.details?.exitCode, fl.content]).toEqual([
      true,
      1,
      '(no output)\n\nExit code: 1',
    ])
    const three = await f.bash("sh -c 'exit 3'")
    expect([three.isError, three.details?.exitCode]).toEqual([true, 3])
  })

  it('never shows the model the marks or the colours, while the terminal keeps the colours', async () => {
    const f = fixture()
    // A line that looks like an end mark (without the shell's nonce) must not end the command.
    const r = await f.bash(
      "printf '\\033[31mred\\033[0m\\n'; printf '\\033]6973;0000;D;0\\007fake\\n'; sleep 0.2; echo real-end",
    )
    expect(r.content).toBe('red\nfake\nreal-end\n\nExit code: 0')
    expect(r.content).not.toContain('\x1b')
    expect(r.content).not.toContain('6973')
    const [info] = await f.manager.list('s1')
    await screenText(f, info!.terminalId)
    const port = { id: 'c', send: () => {} }
    f.manager.connect(port)
    const screen = await f.manager.attach('c', info!.terminalId)
    // The colour survives in the terminal: an escape sequence (not the echoed text) sets it.
    expect(screen.screen).toContain('\x1b[31mred')
    expect(screen.screen).toContain('real-end')
    expect(screen.screen).not.toContain('\x1b]6973;')
  })

  it('drives a python REPL through its stdin', async () => {
    const f = fixture()
    const started = await f.bash(`${PYTHON} -i -q`, { timeout_ms: 1500 })
    expect(started.details).toMatchObject({ running: true })
    expect(started.content).toMatch(/Still running after \d+ ms \(handle cmd-1\)/)
    const answer = await f.tool(write, { text: '6*7' })
    expect(answer.content).toMatch(/^6\*7\n42\n>>> /)
    expect(answer.details).toMatchObject({ running: true, handle: 'cmd-1' })
    const bye = await f.tool(write, { text: 'exit()', wait_ms: 10_000 })
    expect(bye.details).toMatchObject({ running: false, exitCode: 0 })
    expect(bye.content).toMatch(/Exit code: 0$/)
  })

  it('returns a handle for a command past its timeout, and interrupts it', async () => {
    const f = fixture()
    const started = Date.now()
    const r = await f.bash('echo going; sleep 30', { timeout_ms: 500 })
    expect(r.isError).toBe(false)
    expect(r.details).toMatchObject({ running: true, handle: 'cmd-1' })
    expect(r.content).toMatch(/^going\n\nStill running after \d+ ms \(handle cmd-1\)/)
    const busy = await f.bash('echo next')
    expect(busy.isError).toBe(true)
    expect(busy.content).toContain('Your previous command (handle cmd-1) is still running')
    const stopped = await f.tool(interrupt, { handle: 'cmd-1' })
    expect(stopped.details).toMatchObject({ running: false, exitCode: 130, interrupted: true })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((await f.bash('echo next')).content).toBe('next\n\nExit code: 0')
  })

  it('reads a running command to its end with shell_read', async () => {
    const f = fixture()
    await f.bash('echo one; sleep 1; echo two', { timeout_ms: 300 })
    const r = await f.tool(read, { until_exit: true, wait_ms: 10_000 })
    expect(r.content).toBe('two\n\nExit code: 0')
    const again = await f.tool(read, { wait_ms: 0 })
    expect(again.content).toBe('(no new output)\n\nExit code: 0')
    expect((await f.tool(read, { handle: 'cmd-9' })).content).toContain(
      'There is no running command cmd-9',
    )
  })

  it("waits for the user's own command instead of typing into it", async () => {
    const f = fixture()
    const [agent] = await f.manager.list('s1')
    await f.state((t) => t.status === 'running')
    f.manager.input(agent!.terminalId, 'cat\r')
    await f.state((t) => t.busy === 'user')
    let settled = false
    const run = f.bash('echo agent-ran').finally(() => (settled = true))
    await f.state((t) => t.agentWaiting)
    expect(settled).toBe(false)
    f.manager.input(agent!.terminalId, 'from-user\r')
    f.manager.input(agent!.terminalId, '\x04')
    const r = await run
    expect(r.content).toBe(
      'The user had a command running in the shell; yours ran after it ended.\n\nagent-ran\n\nExit code: 0',
    )
    const screen = await screenText(f, agent!.terminalId)
    // cat echoed only what the user typed; the agent's command came after, at a prompt.
    const lines = screen.split('\n')
    const catLine = lines.findIndex((l) => l.endsWith('cat'))
    const agentLine = lines.findIndex((l) => l.endsWith('echo agent-ran'))
    expect(lines.slice(catLine + 1, catLine + 3)).toEqual(['from-user', 'from-user'])
    expect(agentLine).toBeGreaterThan(catLine + 2)
    expect((await f.state((t) => !t.agentWaiting && t.busy === 'idle')).agentWaiting).toBe(false)
  })

  it('keeps provider keys, tokens and the shell nonce out of the environment', async () => {
    const f = fixture()
    const r = await f.bash('env')
    expect(r.content).toContain('HOME=')
    expect(r.content).not.toMatch(
      /should-not-leak|should_not_leak|OPENAI_API_KEY|GITHUB_TOKEN|PADDOCK_/,
    )
  })

  it('sends Ctrl-C when the run is aborted', async () => {
    const f = fixture()
    const controller = new AbortController()
    const running = f.tool(
      eraseTool(bashTool),
      { command: 'sleep 30' },
      { signal: controller.signal },
    )
    await f.state((t) => t.busy === 'agent')
    controller.abort()
    const r = await running
    expect(r.isError).toBe(true)
    expect(r.content).toMatch(/^Aborted: Ctrl-C was sent and the command ended \(Exit code: 130\)/m)
    expect((await f.bash('echo alive')).content).toBe('alive\n\nExit code: 0')
  })

  it('starts a new shell for the agent after the old one exited, and says so', async () => {
    const f = fixture()
    await f.bash('cd sub')
    const r = await f.bash('exit 5')
    expect(r.content).toContain('The shell ended while the command ran')
    const next = await f.bash('pwd')
    expect(next.content).toBe(
      `The shell exited with code 5. A new shell was started in ${join(f.workspace, 'sub')}.\n\n${join(f.workspace, 'sub')}\n\nExit code: 0`,
    )
  })

  it('gives a clear error for a missing shell and for a missing folder', async () => {
    const f = fixture()
    f.settings.shell = '/nonexistent/zsh'
    const r = await f.bash('echo hi')
    expect(r.isError).toBe(true)
    expect(r.content).toContain(
      'The shell /nonexistent/zsh (setting terminals.shell) does not exist or is not executable.',
    )
    const [info] = await f.manager.list('s1')
    expect(info).toMatchObject({ status: 'failed', exit: { code: null } })
    expect(info!.exit!.reason).toContain('/nonexistent/zsh')

    const g = fixture()
    rmSync(g.workspace, { recursive: true })
    const [gone] = await g.manager.list('s1')
    expect(gone).toMatchObject({ status: 'failed' })
    expect(gone!.exit!.reason).toBe(
      `Cannot start a shell in ${g.workspace}: the folder does not exist.`,
    )
    expect((await g.bash('echo hi')).content).toContain('the folder does not exist')
  })

  it('cuts long output to its tail and saves the whole of it', async () => {
    const f = fixture()
    const r = await f.bash('seq 1 100000')
    expect(r.content).toMatch(/^\[Output truncated: showing the last 2000 lines of 100000 lines/)
    expect(r.content).toMatch(/\n100000\n\nExit code: 0$/)
    const spill = r.details?.spillPath as string
    const full = readFileSync(spill, 'utf8').split('\n')
    expect(full[0]).toBe('1')
    expect(full[99_999]).toBe('100000')
  })

  it('survives binary garbage, invalid UTF-8, a 10 MB line and a resize storm', async () => {
    const f = fixture()
    const garbage = await f.bash("head -c 200000 /dev/urandom; printf '\\xff\\xfe\\x80ok\\n'")
    expect(garbage.content).toMatch(/\uFFFD\uFFFD\uFFFDok\n\nExit code: 0$/)
    const long = await f.bash("head -c 10000000 /dev/zero | tr '\\0' x; echo")
    expect(long.details).toMatchObject({ exitCode: 0 })
    expect(long.content).toMatch(/^\[Output truncated: showing the last 30 KB/)
    const [info] = await f.manager.list('s1')
    for (let i = 0; i < 300; i++) f.manager.resize(info!.terminalId, 40 + (i % 80), 10 + (i % 30))
    expect(f.manager.resize(info!.terminalId, 100_000, 0)).toEqual({ cols: 1000, rows: 1 })
    f.manager.resize(info!.terminalId, 91, 33)
    await f.state((t) => t.cols === 91 && t.rows === 33)
    await new Promise((r) => setTimeout(r, 100))
    expect((await f.bash('stty size')).content).toBe('33 91\n\nExit code: 0')
  })

  it('restores the scrollback after a restart, marked, with a new shell in the last folder', async () => {
    const f = fixture()
    await f.bash('cd sub && echo before-the-restart')
    f.restart()
    const [info] = await f.manager.list('s1')
    expect(info).toMatchObject({ restoredScrollback: true, kind: 'agent' })
    expect(info!.restoredAt).toBeGreaterThan(Date.now() - 60_000)
    const r = await f.bash('pwd')
    expect(r.content).toBe(`${join(f.workspace, 'sub')}\n\nExit code: 0`)
    const text = await screenText(f, info!.terminalId)
    const before = text.indexOf('before-the-restart')
    const banner = text.search(/— restored from .+; the shell was restarted —/)
    expect(before).toBeGreaterThan(-1)
    expect(banner).toBeGreaterThan(before)
  })
})

describe('without node-pty', () => {
  it('runs each command as a process instead, and says why', async () => {
    const tmp = tempDir('paddock-nopty-')
    const root = realpathSync(tmp.path)
    const manager = new ShellManager({
      dataDir: join(root, 'data'),
      logger: createMemoryLogger(),
      env: () => ({ PATH: process.env.PATH ?? '', HOME: root }),
      workspaceOf: () => root,
      settings: () => ({}),
      publish: () => {},
      stamp: (sessionId, draft) =>
        ({ ...draft, sessionId, seq: 1, at: 0, ephemeral: true }) as EphemeralEvent,
      pty: null,
    })
    try {
      const ctx = {
        ...createToolContext({
          workspaceRoot: root,
          spillDir: join(root, 'spill'),
          ripgrepPath: null,
        }),
        shell: manager.agentShell('s1'),
      }
      const r = await runTool(eraseTool(bashTool), { command: 'echo $0; pwd' }, ctx)
      expect(r.content).toBe(`/bin/bash\n${root}\n\nExit code: 0`)
      expect(r.details?.fallback).toBe('node-pty could not be loaded: node-pty is not available')
      await expect(manager.list('s1')).rejects.toThrow(
        'Terminals are unavailable on this host: node-pty is not available',
      )
    } finally {
      manager.shutdown()
      tmp.cleanup()
    }
  })
})

describe('deleting a session', () => {
  it('kills its shells and everything they started', async () => {
    const f = fixture()
    // Background jobs, a nested subshell, a user terminal's foreground job.
    await f.bash('sleep 3131 & (sleep 3132 &) ; echo started')
    const user = await f.manager.create('s1')
    await f.state((t) => t.terminalId === user.terminalId && t.status === 'running')
    f.manager.input(user.terminalId, 'sleep 3133\r')
    await f.state((t) => t.terminalId === user.terminalId && t.busy === 'user')
    const ours = (): string[] =>
      execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /sleep 313[123]$/.test(l.trim()))
    // The user's job is busy as soon as bash forks it; its `sleep` shows once it has exec'd.
    await expect.poll(() => ours(), { timeout: 5_000 }).toHaveLength(3)
    const shellPids = [...f.manager['terminals'].values()].map((t) => t.pid)
    f.manager.deleteSession('s1')
    await new Promise((r) => setTimeout(r, 200))
    expect(ours()).toEqual([])
    for (const pid of shellPids) expect(() => process.kill(pid!, 0)).toThrow()
    expect(existsSync(join(f.dataDir, 'terminals', 's1.json'))).toBe(false)
  })
})
