import { mkdirSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliIn } from '../support/cli-in-process'
import type { CliResult } from '../support/cli-in-process'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

/**
 * `paddock compact` in this process against the fake model at the wire: a session made by
 * `paddock run`, compacted by the session's model or by a saved provider's (`--model`).
 */

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let workspace: string

beforeAll(async () => {
  fake = await startFakeLlm({
    // The summariser's requests offer no tools.
    answer: (body) =>
      body.tools?.length
        ? undefined
        : { text: '## Goal\nSay hello.\n\n## Progress\n### Done\nHello said.' },
  })
  tmp = tempDir('paddock-compact-')
  dataDir = join(tmp.path, 'data')
  workspace = join(tmp.path, 'project')
  mkdirSync(workspace)
  workspace = realpathSync(workspace)
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})

const env = (): Record<string, string> => ({ HOME: tmp.path, FAKE_KEY: 'sk-fake-0123456789' })

function cli(...args: string[]): Promise<CliResult> {
  return runCliIn(dataDir, args, { cwd: tmp.path, env: env() })
}

async function twoRuns(): Promise<string> {
  fake.script({ text: 'Hello.' })
  const first = await cli(
    'run',
    '--workspace',
    workspace,
    '--base-url',
    fake.baseUrl,
    '--model',
    'm',
    'Say hello',
  )
  expect(first.status).toBe(0)
  const sessionId = /session (\S+)\n/.exec(first.stderr)![1]!
  fake.script({ text: 'Hello again.' })
  const second = await cli(
    'run',
    '--workspace',
    workspace,
    '--session',
    sessionId,
    '--base-url',
    fake.baseUrl,
    '--model',
    'm',
    'Again',
  )
  expect(second.status).toBe(0)
  return sessionId
}

describe('paddock compact', () => {
  it('needs --session, and takes no other argument', async () => {
    const none = await cli('compact')
    expect(none.status).toBe(2)
    expect(none.stderr).toContain('paddock: compact needs --session ID')
    const extra = await cli('compact', 'now', '--session', 'x')
    expect(extra.status).toBe(2)
    expect(extra.stderr).toContain('unexpected argument "now"')
  })

  it('compacts with a saved provider’s model; --json prints the result, the human form one line', async () => {
    const sessionId = await twoRuns()
    const added = await cli(
      'providers',
      'add',
      '--name',
      'work',
      '--base-url',
      fake.baseUrl,
      '--api-key-env',
      'FAKE_KEY',
    )
    expect(added.status).toBe(0)

    const json = await cli(
      'compact',
      '--session',
      sessionId,
      '--model',
      'work/m',
      '--focus',
      'greetings',
      '--json',
    )
    expect(json.stderr).toBe('')
    expect(json.status).toBe(0)
    const result = JSON.parse(json.stdout) as Record<string, unknown>
    expect(Object.keys(result).sort()).toEqual([
      'entryId',
      'replacedCount',
      'sessionId',
      'tokensAfter',
      'tokensBefore',
    ])
    expect(result).toMatchObject({ sessionId, replacedCount: 2 })
    const summariser = fake.chatRequests().at(-1)!
    expect(summariser.tools).toBeUndefined()
    expect(JSON.stringify(summariser.messages)).toContain('focus on: greetings')

    fake.script({ text: 'Hi once more.' })
    const third = await cli(
      'run',
      '--workspace',
      workspace,
      '--session',
      sessionId,
      '--base-url',
      fake.baseUrl,
      '--model',
      'm',
      'Once more',
    )
    expect(third.status).toBe(0)
    const human = await cli('compact', '--session', sessionId, '--model', 'work/m')
    expect(human.status).toBe(0)
    expect(human.stderr).toBe('Compacting: the model is summarising the conversation…\n')
    expect(human.stdout).toMatch(
      new RegExp(
        `^Compacted session ${sessionId}: [\\d.kM]+ → [\\d.kM]+ tokens \\(\\d+ messages? summarised; the log keeps them all\\)\\.\\n$`,
      ),
    )
  })

  it('a session whose model was given by address to paddock run: a clear error naming the way out, exit 1', async () => {
    const sessionId = await twoRuns()
    const res = await cli('compact', '--session', sessionId)
    expect(res.status).toBe(1)
    expect(res.stderr).toContain(
      "paddock: This session's model (m) was given by address to the process that ran it, and is not configured here: compact with a saved provider's model (--model <provider>/<model>; paddock providers list).",
    )
  })
})
