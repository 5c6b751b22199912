import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MethodOutput } from '../../src/shared/contract'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { REPO_ROOT } from '../support/paths'
import { tempDir } from '../support/temp'
import { runCliIn } from '../support/cli-in-process'

/**
 * `paddock providers …` in a child process, run from the source through tsx (the same entry as
 * `npm run paddock`), so these tests need no build. The key goes in on stdin, never in argv.
 */
const CLI_MAIN = join(REPO_ROOT, 'src', 'main', 'cli', 'main.ts')
const KEY = 'sk-cli-0123456789-abcdef-PIPED'

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
beforeAll(async () => {
  fake = await startFakeLlm({ models: ['m1', 'm2'], apiKey: KEY })
  tmp = tempDir()
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})

interface Result {
  status: number | null
  stdout: string
  stderr: string
}

function paddock(args: string[], stdin = ''): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI_MAIN, ...args, '--data-dir', tmp.path],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('close', (status) => resolve({ status, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** The same CLI in this process (runCli), for the steps that need no real stdin or exit. */
function inProcess(dataDir: string, args: string[], stdin = ''): Promise<Result> {
  return runCliIn(dataDir, args, { cwd: tmp.path, stdin })
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  )
}

describe('paddock providers', () => {
  // Five child processes; tsx takes seconds to start each on a busy machine.
  it(
    'adds with the key from stdin, lists without it, tests, and removes',
    { timeout: 240_000 },
    async () => {
      const added = await paddock(
        [
          'providers',
          'add',
          '--name',
          'local',
          '--base-url',
          fake.baseUrl,
          '--api-key-stdin',
          '--default-model',
          'm1',
        ],
        `${KEY}\n`,
      )
      expect(added.stderr).toBe('')
      expect(added.status).toBe(0)
      expect(added.stdout).toBe(
        `Added provider "local" (openai, ${fake.baseUrl}); key stored (sk-…${KEY.slice(-4)}).\n` +
          'Default model: local/m1\n',
      )
      const secrets = join(tmp.path, 'secrets.json')
      expect(readFileSync(secrets, 'utf8')).toContain(KEY)
      if (process.platform !== 'win32') expect(statSync(secrets).mode & 0o777).toBe(0o600)

      const listed = await paddock(['providers', 'list', '--json'])
      expect(listed.status).toBe(0)
      expect(listed.stdout).not.toContain(KEY)
      const list = JSON.parse(listed.stdout) as MethodOutput<'providers.list'>
      expect(list).toEqual({
        providers: [
          {
            name: 'local',
            kind: 'openai',
            preset: null,
            baseUrl: fake.baseUrl,
            key: { source: 'stored', hint: `sk-…${KEY.slice(-4)}`, env: null },
            models: ['m1'],
            readOnly: false,
          },
        ],
        defaultModel: 'local/m1',
      })
      const table = await inProcess(tmp.path, ['providers', 'list'])
      expect(table.stdout).toMatch(/^NAME +KIND +BASE URL +KEY +MODELS\nlocal +openai /)
      expect(table.stdout).toContain('Default model: local/m1')

      const ok = await paddock(['providers', 'test', 'local'])
      expect(ok.status).toBe(0)
      expect(ok.stdout).toBe('ok: Connected: 2 models listed.\nmodels: m1, m2\n')
      expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`)

      // A new key replaces the stored one; the server rejects it, and the test says so.
      const wrong = 'sk-cli-wrong-key-000000'
      const updated = await inProcess(
        tmp.path,
        ['providers', 'add', '--name', 'local', '--api-key-stdin'],
        wrong,
      )
      expect(updated.status).toBe(0)
      expect(updated.stdout).toMatch(
        /^Updated provider "local" \(openai, .*\); key stored \(sk-…0000\)\.\n$/,
      )
      const bad = await paddock(['providers', 'test', 'local'])
      expect(bad.status).toBe(1)
      expect(bad.stdout).toBe('bad_key: The server rejected the key (401).\n')

      const removed = await paddock(['providers', 'remove', 'local'])
      expect(removed.status).toBe(0)
      expect(removed.stdout).toBe('Removed provider "local" and its stored key.\n')
      const after = JSON.parse(
        (await inProcess(tmp.path, ['providers', 'list', '--json'])).stdout,
      ) as MethodOutput<'providers.list'>
      expect(after).toEqual({ providers: [], defaultModel: null })
      expect(readFileSync(secrets, 'utf8')).not.toContain(wrong)

      // The CLI's log and database never held either key.
      for (const file of filesUnder(tmp.path)) {
        const bytes = readFileSync(file)
        expect({ file, leaked: bytes.includes(KEY) || bytes.includes(wrong) }).toEqual({
          file,
          leaked: false,
        })
      }
      expect(filesUnder(tmp.path).some((f) => f.endsWith('cli.log'))).toBe(true)
    },
  )

  it('explains bad usage and unknown providers (in process, through runCli)', async () => {
    const dataDir = join(tmp.path, 'usage')
    const cli = (args: string[], stdin = ''): Promise<Result> => inProcess(dataDir, args, stdin)
    const noName = await cli(['providers', 'add', '--base-url', fake.baseUrl])
    expect(noName.status).toBe(2)
    expect(noName.stderr).toContain('paddock: providers add needs --name NAME')
    const both = await cli(
      [
        'providers',
        'add',
        '--name',
        'x',
        '--anthropic',
        '--api-key-env',
        'X_KEY',
        '--api-key-stdin',
      ],
      KEY,
    )
    expect(both.status).toBe(2)
    expect(both.stderr).toContain('give either --api-key-env VAR or --api-key-stdin, not both')
    const empty = await cli(['providers', 'add', '--name', 'x', '--anthropic', '--api-key-stdin'])
    expect(empty.status).toBe(2)
    expect(empty.stderr).toContain('--api-key-stdin read an empty key')
    const noUrl = await cli(['providers', 'add', '--name', 'x'])
    expect(noUrl.status).toBe(2)
    expect(noUrl.stderr).toContain('providers add needs --base-url URL (or --anthropic)')
    const unknown = await cli(['providers', 'test', 'nope'])
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toBe('paddock: No provider named "nope" is configured.\n')
    const noArg = await cli(['providers', 'remove'])
    expect(noArg.status).toBe(2)
    expect(noArg.stderr).toContain('providers remove needs a provider NAME')
    const badCommand = await cli(['providers', 'rename'])
    expect(badCommand.status).toBe(2)
    expect(badCommand.stderr).toContain(
      'unknown command "providers rename" (add, list, test, remove)',
    )

    const env = await cli([
      'providers',
      'add',
      '--name',
      'claude',
      '--anthropic',
      '--api-key-env',
      'SOME_UNSET_VARIABLE_X',
    ])
    expect(env.status).toBe(0)
    expect(env.stdout).toBe(
      'Added provider "claude" (anthropic, https://api.anthropic.com); key from $SOME_UNSET_VARIABLE_X (not set here).\n',
    )
    expect(env.stderr).toContain('note: SOME_UNSET_VARIABLE_X is not set here')
    const list = JSON.parse(
      (await cli(['providers', 'list', '--json'])).stdout,
    ) as MethodOutput<'providers.list'>
    expect(list.providers.map((p) => [p.name, p.key.source, p.key.env])).toEqual([
      ['claude', 'none', 'SOME_UNSET_VARIABLE_X'],
    ])
  })

  it('runs on a saved provider: --model <provider>/<model>, else the default model', async () => {
    const dataDir = join(tmp.path, 'run')
    const workspace = join(tmp.path, 'run-ws')
    mkdirSync(workspace, { recursive: true })
    const cli = (args: string[], stdin = ''): Promise<Result> => inProcess(dataDir, args, stdin)
    const added = await cli(
      ['providers', 'add', '--name', 'mine', '--base-url', fake.baseUrl, '--api-key-stdin'],
      KEY,
    )
    expect(added.status).toBe(0)

    // No model named and no default yet: a clear error, not a request.
    const before = fake.requests.length
    const none = await cli(['run', '--workspace', workspace, 'hello'])
    expect(none.status).toBe(2)
    expect(none.stderr).toContain('or a saved provider with a default model')
    expect(fake.requests.length).toBe(before)
    const bare = await cli(['run', '--workspace', workspace, '--model', 'm1', 'hello'])
    expect(bare.status).toBe(2)
    expect(bare.stderr).toContain('<provider>/<model>')
    // A saved provider has its own key: a key variable for the run would be read for nothing.
    const keyFlag = await cli([
      'run',
      '--workspace',
      workspace,
      '--model',
      'mine/m1',
      '--api-key-env',
      'PATH',
      'hello',
    ])
    expect(keyFlag.status).toBe(2)
    expect(keyFlag.stderr).toContain('a saved provider uses its own key')
    expect(fake.requests.length).toBe(before)

    fake.script({ text: 'Hi from the saved provider.' })
    const named = await cli(['run', '--workspace', workspace, '--model', 'mine/m2', 'hello'])
    expect(named.stderr).not.toContain('stopped')
    expect(named.status).toBe(0)
    expect(named.stdout).toContain('Hi from the saved provider.')
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(fake.chatRequests().at(-1)!.model).toBe('m2')

    await cli(['providers', 'add', '--name', 'mine', '--default-model', 'm1'])
    fake.script({ text: 'Default answers.' })
    const byDefault = await cli(['run', '--workspace', workspace, 'hello again'])
    expect(byDefault.status).toBe(0)
    expect(byDefault.stdout).toContain('Default answers.')
    expect(fake.chatRequests().at(-1)!.model).toBe('m1')
  })
})
