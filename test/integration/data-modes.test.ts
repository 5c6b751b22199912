import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join, relative, sep } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import { waitUntil } from '../support/wait'

/**
 * Who may read the data folder: the engine runs in a child process started under umask 022 (this
 * process's own umask is left alone), so anything created with the umask's default mode shows.
 */
const CLI_MAIN = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')

let tmp: ReturnType<typeof tempDir>
let fake: FakeLlm
let dataDir: string
let project: string
const children: ChildProcess[] = []

beforeEach(async () => {
  tmp = tempDir()
  dataDir = join(tmp.path, 'data')
  project = join(tmp.path, 'project')
  mkdirSync(project)
  mkdirSync(join(tmp.path, 'home'))
  fake = await startFakeLlm()
})
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
  await fake.close()
  tmp.cleanup()
})

/** `paddock …` (from source) under umask 022; resolves with its exit status and output. */
function paddockUnderUmask022(args: string[]): {
  child: ChildProcess
  done: Promise<{ status: number | null; stderr: string }>
} {
  const child = spawn(
    'sh',
    [
      '-c',
      'umask 022; exec "$@"',
      'sh',
      process.execPath,
      '--import',
      'tsx',
      CLI_MAIN,
      ...args,
      '--data-dir',
      dataDir,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: join(tmp.path, 'home'),
        OPENAI_API_KEY: 'sk-test',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  children.push(child)
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout!.resume()
  const done = new Promise<{ status: number | null; stderr: string }>((resolve) =>
    child.on('close', (status) => resolve({ status, stderr })),
  )
  return { child, done }
}

/** Every path under `root` (not following symlinks) with its permission bits, as octal text. */
function modes(root: string): Map<string, string> {
  const out = new Map<string, string>()
  const visit = (p: string): void => {
    const st = lstatSync(p)
    if (st.isSymbolicLink()) return
    out.set(relative(root, p) || '.', (st.mode & 0o777).toString(8))
    if (st.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name))
  }
  visit(root)
  return out
}

/** What each path of the data folder should be: folders 0700, git objects 0400, files 0600. */
function expectedMode(rel: string, isDir: boolean): string {
  if (isDir) return '700'
  const parts = rel.split(sep)
  const object =
    parts[0] === 'checkpoints' &&
    parts[2] === 'objects' &&
    (/^[0-9a-f]{2}$/.test(parts[3] ?? '') || parts[3] === 'pack')
  return object ? '400' : '600'
}

function loose(root: string): string[] {
  const bad: string[] = []
  for (const [rel, mode] of modes(root)) {
    const isDir = lstatSync(join(root, rel)).isDirectory()
    const want = expectedMode(rel, isDir)
    if (mode !== want) bad.push(`${rel} is ${mode}, not ${want}`)
  }
  return bad
}

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it('under umask 022, everything Paddock creates is owner-only; what the agent writes keeps the umask', async () => {
    writeFileSync(join(project, 'a.txt'), 'one\n')
    fake.script(
      {
        toolCalls: [
          { name: 'write', arguments: { path: 'notes.txt', content: 'hello\n' } },
          { name: 'bash', arguments: { command: 'seq 1 20000' } },
        ],
      },
      // The run waits here, the database open, while the folder is looked at.
      { text: 'Done', hang: true },
    )
    const run = paddockUnderUmask022([
      'run',
      '--workspace',
      project,
      '--base-url',
      fake.baseUrl,
      '--model',
      'fake-model',
      '--mode',
      'full-auto',
      'Write notes and count',
    ])
    await waitUntil(() => fake.requests.length >= 2, 60_000, 'the second model request')

    const seen = modes(dataDir)
    const names = [...seen.keys()]
    // Not vacuous: the database with its WAL, a spill file and checkpoint objects are there.
    expect(names).toEqual(
      expect.arrayContaining(['.', 'paddock.db', 'paddock.db-wal', 'paddock.db-shm']),
    )
    expect(names.some((n) => /^spill\/[^/]+\/bash-.*\.log$/.test(n))).toBe(true)
    expect(
      names.some((n) => /^checkpoints\/[^/]+\/objects\/[0-9a-f]{2}\/[0-9a-f]{38}$/.test(n)),
    ).toBe(true)
    expect(names.some((n) => /^checkpoints\/[^/]+\/refs\/paddock\//.test(n))).toBe(true)
    expect(loose(dataDir)).toEqual([])
    // The agent's file keeps the user's umask.
    expect((lstatSync(join(project, 'notes.txt')).mode & 0o777).toString(8)).toBe('644')

    run.child.kill('SIGINT')
    const end = await run.done
    expect(end.stderr).toContain('✓ write')
    expect(loose(dataDir)).toEqual([])
  }, 90_000)

  it('tightens a data folder left readable by an older Paddock when it starts', async () => {
    // Today's loose modes: folders 0755, files 0644, git objects 0444.
    mkdirSync(join(dataDir, 'logs'), { recursive: true, mode: 0o755 })
    mkdirSync(join(dataDir, 'spill', 's1'), { recursive: true, mode: 0o755 })
    const objects = join(dataDir, 'checkpoints', 'w1', 'objects')
    mkdirSync(join(objects, 'ab'), { recursive: true, mode: 0o755 })
    mkdirSync(join(objects, 'pack'), { recursive: true, mode: 0o755 })
    const files: Array<[string, number]> = [
      ['logs/cli.log', 0o644],
      ['spill/s1/bash-1.log', 0o644],
      ['web-cookie.key', 0o644],
      ['checkpoints/w1/HEAD', 0o644],
      [`checkpoints/w1/objects/ab/${'c'.repeat(38)}`, 0o444],
      ['checkpoints/w1/objects/pack/pack-1.pack', 0o444],
    ]
    for (const [rel, mode] of files) {
      writeFileSync(join(dataDir, rel), 'x\n')
      chmodSync(join(dataDir, rel), mode)
    }
    for (const dir of ['.', 'logs', 'spill', 'spill/s1', 'checkpoints', 'checkpoints/w1']) {
      chmodSync(join(dataDir, dir), 0o755)
    }
    // A symlink is not followed: what it points at, outside the data folder, is left alone.
    writeFileSync(join(project, 'outside.txt'), 'mine\n')
    chmodSync(join(project, 'outside.txt'), 0o644)
    symlinkSync(join(project, 'outside.txt'), join(dataDir, 'spill', 'link'))

    const listed = paddockUnderUmask022(['sessions', 'list'])
    const end = await listed.done
    expect(end.stderr).toBe('')
    expect(end.status).toBe(0)
    expect(existsSync(join(dataDir, 'paddock.db'))).toBe(true)
    expect(loose(dataDir)).toEqual([])
    expect((lstatSync(join(project, 'outside.txt')).mode & 0o777).toString(8)).toBe('644')
  }, 60_000)
})
