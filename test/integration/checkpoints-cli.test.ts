import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodOutput } from '../../src/shared/contract'
import { CheckpointPayload } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { REPO_ROOT } from '../support/paths'
import { runCliIn } from '../support/cli-in-process'

/**
 * `paddock checkpoints …` and `paddock restore …` on a real data dir that an engine (the fixture,
 * standing in for the app) filled with a scripted run. In this process through `runCli`, except
 * `paddock run` as a second process while the app holds the workspace's store.
 */
const CLI_MAIN = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')

let a: AgentFixture
let checkpoints: MethodOutput<'checkpoints.list'>

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
  await a.run('Change things')
  checkpoints = await a.fx.call('checkpoints.list', { sessionId: a.sessionId })
})
afterAll(async () => {
  await a?.close()
})

interface Result {
  status: number | null
  stdout: string
  stderr: string
}

function paddock(...args: string[]): Promise<Result> {
  return runCliIn(a.fx.dataDir, args, { cwd: a.workspace })
}

const read = (rel: string): string | null => {
  const p = join(a.workspace, rel)
  return existsSync(p) ? readFileSync(p, 'utf8') : null
}

describe('paddock checkpoints and restore', () => {
  it('while the app holds the store: a second process runs unprotected, and restore says where to go', async () => {
    expect(checkpoints.map((c) => c.reason)).toEqual(['before-tool', 'before-tool', 'turn-end'])

    // `paddock run` in another process on the same data dir and workspace.
    a.fake.script(
      { toolCalls: [{ name: 'write', arguments: { path: 'c.txt', content: 'sea\n' } }] },
      { text: 'Wrote it.' },
    )
    const run = await new Promise<Result>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI_MAIN,
          'run',
          '--workspace',
          a.workspace,
          '--base-url',
          a.fake.baseUrl,
          '--model',
          'fake-model',
          '--mode',
          'full-auto',
          '--data-dir',
          a.fx.dataDir,
          'Write c.txt',
        ],
        { cwd: REPO_ROOT, env: { ...process.env, OPENAI_API_KEY: 'sk-test', NO_COLOR: '1' } },
      )
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('close', (status) => resolve({ status, stdout, stderr }))
    })
    expect(run.stderr).toContain('✓ write')
    expect(run.status).toBe(0)
    expect(read('c.txt')).toBe('sea\n')
    const sessionId = /session (\S+)/.exec(run.stderr)![1]!
    const records = a.fx.engine.store
      .branch(sessionId)
      .filter((e) => e.type === 'checkpoint')
      .map((e) => CheckpointPayload.parse(e.payload))
    expect(records).toEqual([
      expect.objectContaining({ taken: false, code: 'store_busy', toolName: 'write' }),
    ])
    expect((records[0] as { message: string }).message).toContain(`process ${process.pid}`)

    // A restore needs the store for writing: exit 1, saying why.
    const busy = await paddock('restore', checkpoints[0]!.id.slice(0, 8))
    expect(busy.status).toBe(1)
    expect(busy.stderr).toMatch(/open in process \d+.*A restore needs it/)
    expect(read('a.txt')).toBe('two\n')
    // Listing works meanwhile (read-only).
    const listed = await paddock('checkpoints', 'list', '--session', a.sessionId, '--json')
    expect(listed.status).toBe(0)
  })

  it('lists, diffs, restores files and undoes once the app let go of the store', async () => {
    await a.fx.engine.drain()

    const listed = await paddock('checkpoints', 'list', '--session', a.sessionId, '--json')
    expect(listed.stderr).toBe('')
    expect(listed.status).toBe(0)
    const rows = JSON.parse(listed.stdout) as MethodOutput<'checkpoints.list'>
    expect(rows.map((r) => [r.id, r.reason, r.toolName, r.filesChanged])).toEqual([
      [checkpoints[0]!.id, 'before-tool', 'write', 0],
      [checkpoints[1]!.id, 'before-tool', 'bash', 1],
      [checkpoints[2]!.id, 'turn-end', null, 1],
    ])
    const table = await paddock('checkpoints', 'list', '--session', a.sessionId)
    expect(table.stdout.split('\n')[0]).toMatch(/^N\s+ID\s+TAKEN \(UTC\)\s+REASON\s+TOOL\s+FILES/)
    expect(table.stdout).toContain(checkpoints[1]!.id.slice(0, 12))

    // Between two checkpoints (shortened ids), then against the working tree.
    const [first, second] = checkpoints.map((c) => c.id.slice(0, 10))
    const diff = await paddock('checkpoints', 'diff', first!, second!)
    expect(diff.status).toBe(0)
    expect(diff.stdout).toBe(
      'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+two\n',
    )
    const worktree = await paddock('checkpoints', 'diff', first!)
    expect(worktree.stdout).toContain('diff --git a/b.txt b/b.txt\ndeleted file mode 100644\n')
    expect(worktree.stdout).toContain('diff --git a/c.txt b/c.txt\nnew file mode 100644\n')

    // Restore one file to the first checkpoint: b.txt stays deleted, c.txt stays.
    const restored = await paddock('restore', first!, '--files', 'a.txt')
    expect(restored.stderr).toBe('')
    expect(restored.status).toBe(0)
    expect(restored.stdout).toContain('wrote    a.txt')
    expect(restored.stdout).toContain(`paddock restore --undo --session ${a.sessionId}`)
    expect(read('a.txt')).toBe('one\n')
    expect(read('b.txt')).toBeNull()
    expect(read('c.txt')).toBe('sea\n')

    const undone = await paddock('restore', '--undo', '--session', a.sessionId, '--json')
    expect(undone.status).toBe(0)
    expect(JSON.parse(undone.stdout)).toMatchObject({ written: ['a.txt'] })
    expect(read('a.txt')).toBe('two\n')

    // Everything, by absolute path too.
    const all = await paddock('restore', first!, '--files', join(a.workspace, 'b.txt'))
    expect(all.status).toBe(0)
    expect(read('b.txt')).toBe('bee\n')
  })

  it('answers bad usage with 2 and unknown checkpoints with 1', async () => {
    const noSession = await paddock('checkpoints', 'list')
    expect(noSession.status).toBe(2)
    expect(noSession.stderr).toContain('checkpoints list needs --session ID')
    const both = await paddock('restore', checkpoints[0]!.id, '--conversation', '--both')
    expect(both.status).toBe(2)
    expect(both.stderr).toContain('--conversation or --both, not both flags')
    const notHex = await paddock('checkpoints', 'diff', 'HEAD')
    expect(notHex.status).toBe(2)
    expect(notHex.stderr).toContain('"HEAD" is not a checkpoint id')
    const unknown = await paddock('restore', 'ffffffff')
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('No checkpoint ffffffff')
    const noUndo = await paddock('restore', '--undo')
    expect(noUndo.status).toBe(2)
    expect(noUndo.stderr).toContain('needs --session ID')
  })
})
