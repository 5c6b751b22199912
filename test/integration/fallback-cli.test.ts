import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ModelSwitch } from '../../src/shared/entries'
import { runCliIn } from '../support/cli-in-process'
import type { CliResult } from '../support/cli-in-process'
import type { ErrorTurn, FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

/**
 * `paddock run --fallback-model ID`, in this process, the models faked at the wire: given by
 * address, a fallback is another model at the same address, named `env/<model>` in the log.
 */

const QUOTA: ErrorTurn = {
  error: {
    status: 429,
    body: {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    },
  },
}

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let workspace: string

beforeAll(async () => {
  fake = await startFakeLlm()
  tmp = tempDir('paddock-fallback-')
  workspace = join(tmp.path, 'project')
  mkdirSync(workspace)
  workspace = realpathSync(workspace)
  dataDir = join(tmp.path, 'data')
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})

function run(...args: string[]): Promise<CliResult> {
  return runCliIn(
    dataDir,
    ['run', '--workspace', workspace, '--base-url', fake.baseUrl, '--mode', 'full-auto', ...args],
    { cwd: tmp.path, env: { HOME: tmp.path } },
  )
}

/** How many sessions the data folder holds (every workspace). */
async function sessionCount(): Promise<number> {
  const res = await runCliIn(dataDir, ['sessions', 'list', '--json'], {
    cwd: tmp.path,
    env: { HOME: tmp.path },
  })
  return (JSON.parse(res.stdout) as unknown[]).length
}

function sessionOf(res: CliResult): string {
  const id = /session (\S+)\n/.exec(res.stderr)?.[1]
  if (!id) throw new Error(`no session in: ${res.stderr}`)
  return id
}

/** The models of the last `n` requests the fake received. */
function lastModels(n: number): string[] {
  return fake.requests.slice(-n).map((r) => (r.body as { model: string }).model)
}

describe('paddock run --fallback-model', () => {
  it('--json: the fallback takes over after a quota failure; the switch is one more entry line', async () => {
    fake.script(QUOTA, { text: 'Answered by the small model.' })
    const res = await run('--model', 'big-model', '--fallback-model', 'small-model', '--json', 'hi')
    expect(res.status).toBe(0)
    expect(res.stderr).toBe('')
    expect(lastModels(2)).toEqual(['big-model', 'small-model'])
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; entry?: { type: string; payload: unknown } })
    const switches = lines
      .filter((l) => l.type === 'entry.appended' && l.entry!.type === 'model_switch')
      .map((l) => l.entry!.payload as ModelSwitch)
    expect(switches).toEqual([
      {
        ref: 'env/small-model',
        from: 'env/big-model',
        reason: 'fallback',
        failure: { kind: 'quota', message: expect.stringMatching(/over quota/) as string },
      },
    ])
    expect(lines.at(-1)).toMatchObject({ entry: { type: 'turn_end', payload: { reason: 'done' } } })
  })

  it('says so on stderr; a later run naming its model stays on the fallback, one without it returns', async () => {
    fake.script(QUOTA, { text: 'Small model here.' })
    const first = await run('--model', 'big-model', '--fallback-model', 'small-model', 'hi')
    expect(first.status).toBe(0)
    expect(first.stdout).toBe('Small model here.\n')
    expect(first.stderr).toContain(
      'paddock: model env/small-model · fallback: quota on env/big-model (Out of credits or over quota',
    )
    const sessionId = sessionOf(first)

    // The cooldown (30 minutes by default) has not passed: the session stays on the fallback.
    fake.script({ text: 'Still small.' })
    const again = await run(
      '--session',
      sessionId,
      '--model',
      'big-model',
      '--fallback-model',
      'small-model',
      'again',
    )
    expect(again.status).toBe(0)
    expect(lastModels(1)).toEqual(['small-model'])

    // A run that does not offer the fallback cannot run on it: back to the primary, said so.
    fake.script({ text: 'Big again.' })
    const back = await run('--session', sessionId, '--model', 'big-model', 'and now')
    expect(back.status).toBe(0)
    expect(lastModels(1)).toEqual(['big-model'])
    expect(back.stdout).toBe('Big again.\n')
    expect(back.stderr).toContain('paddock: model env/big-model · back from env/small-model\n')
  })

  it('usage: at most three, and with saved providers each names one', async () => {
    const many = await run(
      '--model',
      'big-model',
      ...['a', 'b', 'c', 'd'].flatMap((m) => ['--fallback-model', m]),
      'hi',
    )
    expect(many.status).toBe(2)
    expect(many.stderr).toContain('--fallback-model: at most 3 fallback models (4 given)')
    const saved = await runCliIn(
      dataDir,
      [
        'run',
        '--workspace',
        workspace,
        '--model',
        'work/big',
        '--fallback-model',
        'small-model',
        'hi',
      ],
      { cwd: tmp.path, env: { HOME: tmp.path } },
    )
    expect(saved.status).toBe(2)
    expect(saved.stderr).toContain(
      "--fallback-model small-model: name a saved provider's model as <provider>/<model>",
    )
    // Checked before a session exists: twice the same, the run's own model, no such provider.
    const usage = async (...args: string[]): Promise<string> => {
      const before = await sessionCount()
      const res = await runCliIn(dataDir, ['run', '--workspace', workspace, ...args, 'hi'], {
        cwd: tmp.path,
        env: { HOME: tmp.path },
      })
      expect(res.status).toBe(2)
      expect(await sessionCount()).toBe(before)
      return res.stderr
    }
    const address = ['--base-url', fake.baseUrl, '--model', 'big-model']
    expect(
      await usage(...address, '--fallback-model', 'small', '--fallback-model', 'small '),
    ).toContain('--fallback-model small: named twice')
    expect(await usage(...address, '--fallback-model', 'big-model')).toContain(
      "--fallback-model big-model: the run's own model (--model) cannot be its fallback",
    )
    expect(await usage('--model', 'work/big', '--fallback-model', 'nowhere/small')).toContain(
      '--fallback-model nowhere/small: no saved provider is named "nowhere"',
    )
    const help = await runCliIn(dataDir, ['run', '--help'], { cwd: tmp.path })
    expect(help.stdout).toContain('[--fallback-model ID]...')
    expect(help.stdout).toContain('models.fallbackCooldownMinutes')
  })
})
