import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SETTINGS } from '../../src/main/sessions/settings'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { closedPort } from '../support/ports'
import { runCliIn } from '../support/cli-in-process'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

/**
 * What a first-time user of `paddock` meets: usage errors, a model server that is not running,
 * undoing a restore, and the tables of sessions and checkpoints. The real CLI in this process
 * (`runCli`), on a data folder an engine with the fake model filled.
 */
let a: AgentFixture

beforeAll(async () => {
  a = await agentFixture()
  a.write('a.txt', 'one\n')
  a.write('b.txt', 'bee\n')
  a.fake.script(
    {
      toolCalls: [
        { name: 'write', arguments: { path: 'a.txt', content: 'two\n' } },
        { name: 'bash', arguments: { command: 'rm b.txt' } },
      ],
    },
    { text: 'Done.' },
  )
  await a.run('Change things', { mode: 'full-auto' })
  // The CLI restores below need the workspace's store, which the fixture's engine lets go here.
  await a.fx.engine.drain()
})
afterAll(async () => {
  await a?.close()
})

function paddock(...args: string[]): ReturnType<typeof runCliIn> {
  return runCliIn(a.fx.dataDir, args, { cwd: a.workspace })
}

const read = (rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

describe('usage errors', () => {
  it('a mistyped command: one line with a suggestion, one hint, no help text', async () => {
    const res = await paddock('sesions', 'list')
    expect(res.status).toBe(2)
    expect(res.stdout).toBe('')
    expect(res.stderr).toBe(
      `paddock: unknown command "sesions" (did you mean "sessions"?)\n` +
        `Run 'paddock --help' for usage.\n`,
    )
    const sub = await paddock('sessions', 'lst')
    expect(sub.status).toBe(2)
    expect(sub.stderr).toBe(
      `paddock: unknown command "sessions lst" (did you mean "sessions list"?)\n` +
        `Run 'paddock sessions --help' for usage.\n`,
    )
  })

  it('a mistyped option: the option it was probably meant to be', async () => {
    const res = await paddock('sessions', 'list', '--worksapce', a.workspace)
    expect(res.status).toBe(2)
    expect(res.stderr).toBe(
      `paddock: unknown option --worksapce (did you mean --workspace?)\n` +
        `Run 'paddock sessions --help' for usage.\n`,
    )
  })

  it('a missing argument: the error and the hint, and --help of the command prints its usage', async () => {
    const res = await paddock('run', 'hello')
    expect(res.status).toBe(2)
    expect(res.stderr).toBe(
      `paddock: run needs --workspace DIR\nRun 'paddock run --help' for usage.\n`,
    )
    const help = await paddock('run', '--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('paddock run --workspace DIR')
    expect(help.stdout).toContain('--mode defaults to ask')
    expect(help.stdout).not.toContain('paddock checkpoints list')
    expect((await paddock('help', 'run')).stdout).toBe(help.stdout)
    const all = await paddock('--help')
    expect(all.stdout).toContain('paddock run --workspace DIR')
    expect(all.stdout).toContain('paddock checkpoints list')
  })
})

describe('a model server that is not running', () => {
  it('fails at once with what to check, and leaves no session behind', async () => {
    const data = tempDir()
    try {
      const port = await closedPort()
      const res = await runCliIn(
        data.path,
        ['run', '--workspace', a.workspace, '--mode', 'full-auto', 'hi'],
        {
          cwd: a.workspace,
          env: { PADDOCK_BASE_URL: `http://127.0.0.1:${port}/v1`, PADDOCK_MODEL: 'm' },
        },
      )
      expect(res.status).toBe(1)
      expect(res.stderr).toBe(
        `paddock: Nothing is listening at http://127.0.0.1:${port} — is the server running?\n`,
      )
      expect(res.stderr).not.toContain('retrying')
      const listed = await runCliIn(data.path, ['sessions', 'list', '--json'], { cwd: a.workspace })
      expect(JSON.parse(listed.stdout)).toEqual([])
    } finally {
      data.cleanup()
    }
  })

  it('the same for a saved provider at that address', async () => {
    const data = tempDir()
    try {
      const port = await closedPort()
      const added = await runCliIn(
        data.path,
        [
          'providers',
          'add',
          '--name',
          'local',
          '--base-url',
          `http://localhost:${port}/v1`,
          '--default-model',
          'm',
        ],
        { cwd: a.workspace },
      )
      expect(added.status).toBe(0)
      const res = await runCliIn(data.path, ['run', '--workspace', a.workspace, 'hi'], {
        cwd: a.workspace,
      })
      expect(res.stderr).toBe(
        `paddock: Nothing is listening at http://localhost:${port} — is the server running?\n`,
      )
      expect(res.status).toBe(1)
      const listed = await runCliIn(data.path, ['sessions', 'list', '--json'], { cwd: a.workspace })
      expect(JSON.parse(listed.stdout)).toEqual([])
    } finally {
      data.cleanup()
    }
  })
})

describe('a model server on this machine that stops', () => {
  it('ends the run at once with the same words, without retrying', async () => {
    const gone = await startFakeLlm()
    await gone.close()
    const b = await agentFixture({ fake: gone })
    try {
      const end = await b.run('hi')
      const port = new URL(gone.baseUrl).port
      expect(end).toEqual({
        reason: 'error',
        message: `Nothing is listening at 127.0.0.1:${port} — is the server running?`,
      })
      expect(b.sleeps).toEqual([])
      expect(b.events.some((e) => e.type === 'turn.state' && e.state === 'retrying')).toBe(false)
    } finally {
      await b.close()
    }
  })
})

describe('restore and undo', () => {
  it('every "Undo with" line it prints is a command that works', async () => {
    const [first] = (await a.fx.call('checkpoints.list', { sessionId: a.sessionId })).map((c) =>
      c.id.slice(0, 10),
    )
    const undoCommand = (stdout: string): string[] => {
      const m = /^Undo with: paddock (.+)$/m.exec(stdout)
      expect(m, stdout).not.toBeNull()
      return m![1]!.split(' ')
    }
    const restored = await paddock('restore', first!, '--files', 'a.txt')
    expect(restored.status).toBe(0)
    expect(read('a.txt')).toBe('one\n')

    const undone = await paddock(...undoCommand(restored.stdout))
    expect(undone.stderr).toBe('')
    expect(undone.status).toBe(0)
    expect(read('a.txt')).toBe('two\n')

    // Undoing the undo puts the restore back.
    const redone = await paddock(...undoCommand(undone.stdout))
    expect(redone.stderr).toBe('')
    expect(redone.status).toBe(0)
    expect(read('a.txt')).toBe('one\n')
    expect(read('b.txt')).toBeNull()

    // And that, too, can be undone as it says.
    const again = await paddock(...undoCommand(redone.stdout))
    expect(again.status).toBe(0)
    expect(read('a.txt')).toBe('two\n')
  })
})

describe('tables', () => {
  it('sessions list shows each session’s status and model', async () => {
    await paddock('sessions', 'create', '--workspace', a.workspace, '--title', 'Empty one')
    // A prompt whose run has not ended: running in another process, or cut off.
    const cut = await a.fx.call('sessions.create', { workspaceId: a.workspaceId, title: 'Cut off' })
    a.fx.engine.store.appendEntry(cut.id, {
      type: 'user_message',
      payload: { text: 'Go on', kind: 'prompt' },
    })
    const res = await paddock('sessions', 'list')
    expect(res.status).toBe(0)
    const [header, ...rows] = res.stdout.trimEnd().split('\n')
    expect(header).toMatch(/^ID\s+TITLE\s+STATUS\s+MODEL\s+WORKSPACE\s+UPDATED \(UTC\)$/)
    const ran = rows.find((r) => r.startsWith(a.sessionId))
    expect(ran).toMatch(/\sdone\s+fake-model\s/)
    const empty = rows.find((r) => r.includes('Empty one'))
    expect(empty).toMatch(/Empty one\s+new\s/)
    expect(rows.find((r) => r.includes('Cut off'))).toMatch(/Cut off\s+in progress\s/)
  })

  it('checkpoints list names the files each checkpoint changed', async () => {
    const res = await paddock('checkpoints', 'list', '--session', a.sessionId)
    expect(res.status).toBe(0)
    const lines = res.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^N\s+ID\s+TAKEN \(UTC\)\s+REASON\s+TOOL\s+FILES\s+\+\/-$/)
    const byN = new Map(lines.slice(1).map((l) => [l.split(/\s+/)[0], l]))
    expect(byN.get('2')).toMatch(/\sbash\s+a\.txt\s+\+1 -1$/)
    expect(byN.get('3')).toMatch(/\sb\.txt\s+\+0 -1$/)
  })
})

describe('--help', () => {
  it('lists every setting, as settings list does', async () => {
    const help = await paddock('--help')
    const settingsHelp = await paddock('settings', '--help')
    const listed = await paddock('settings', 'list', '--json')
    const keys = (JSON.parse(listed.stdout) as Array<{ key: string }>).map((r) => r.key)
    expect(keys).toEqual(Object.keys(SETTINGS))
    for (const key of keys) {
      expect(help.stdout).toContain(key)
      expect(settingsHelp.stdout).toContain(key)
    }
  })
})
