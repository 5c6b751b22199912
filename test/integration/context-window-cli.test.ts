import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryLogger } from '../../src/main/core/logger'
import { createEngine } from '../../src/main/host/engine'
import { modelSource } from '../../src/main/providers/presets'
import { loadCatalog } from '../../src/main/providers/user-models'
import type { MethodOutput } from '../../src/shared/contract'
import type { Entry } from '../../src/shared/model'
import { runCliIn } from '../support/cli-in-process'
import type { CliResult } from '../support/cli-in-process'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

/**
 * The window of the model a run uses: the catalog's, the user's models.json's, `--context-window`,
 * or — for a model nobody described — 32,768 tokens, which the CLI says in one line on stderr.
 * Through `paddock run` in this process, the model faked at the wire; what the gauge would show is
 * read back with `sessions.status` from a fresh engine on the same data dir (what a UI sees).
 */
const NOTICE = (model: string): string =>
  `paddock: window unknown for ${model}: assuming 32,768 tokens (set it in models.json or with --context-window)\n`

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
let dataDir: string
let workspace: string

beforeAll(async () => {
  fake = await startFakeLlm()
  tmp = tempDir('paddock-window-')
  workspace = join(tmp.path, 'project')
  mkdirSync(workspace)
  workspace = realpathSync(workspace)
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})
let n = 0
beforeEach(() => {
  dataDir = join(tmp.path, `data-${++n}`)
})

function run(model: string, ...extra: string[]): Promise<CliResult> {
  fake.script({ text: 'done', usage: { prompt_tokens: 1_200, completion_tokens: 30 } })
  return runCliIn(
    dataDir,
    ['run', '--workspace', workspace, '--base-url', fake.baseUrl, '--model', model, ...extra, 'hi'],
    { cwd: tmp.path, env: { HOME: tmp.path } },
  )
}

function sessionOf(res: CliResult): string {
  const id = /session (\S+)\n/.exec(res.stderr)?.[1]
  if (!id) throw new Error(`no session in: ${res.stderr}`)
  return id
}

/** A UI's view: an engine on the same data dir, started (as `paddock run` was) with `model`. */
async function inspect(
  sessionId: string,
  model: string,
): Promise<{ status: MethodOutput<'sessions.status'>; entries: Entry[] }> {
  const engine = createEngine({
    dataDir,
    kind: 'web',
    logger: createMemoryLogger(),
    home: tmp.path,
    model: () =>
      modelSource(
        { provider: 'openai-compatible', model, baseUrl: fake.baseUrl, apiKey: '' },
        loadCatalog(dataDir),
      ),
  })
  try {
    const call = async <T>(method: string, params: unknown): Promise<T> => {
      const outcome = await engine.call(method, params, { transport: 'test' })
      if (!outcome.ok) throw new Error(outcome.error.message)
      return outcome.result as T
    }
    return {
      status: await call('sessions.status', { sessionId }),
      entries: await call('sessions.entries', { sessionId }),
    }
  } finally {
    await engine.drain()
    engine.close()
  }
}

describe('paddock run: the window of the model the run uses', () => {
  it('an unknown model: one line on stderr, and the status says the 32,768 window is assumed', async () => {
    const res = await run('mystery-local-7b')
    expect(res.status).toBe(0)
    expect(res.stderr.split(NOTICE('mystery-local-7b')).length - 1).toBe(1)
    const { status } = await inspect(sessionOf(res), 'mystery-local-7b')
    expect(status.model).toBe('env/mystery-local-7b')
    expect(status.context).toEqual({
      // The provider's count of the last response: 1,200 prompt + 30 reply tokens.
      usedTokens: 1_230,
      windowTokens: 32_768,
      windowSource: 'default',
      windowAssumed: true,
      usedReported: true,
    })
  })

  it('--context-window sets the window for the run and the session, and silences the notice', async () => {
    const res = await run('mystery-local-7b', '--context-window', '8192')
    expect(res.status).toBe(0)
    expect(res.stderr).not.toContain('window unknown')
    const sessionId = sessionOf(res)
    const { status, entries } = await inspect(sessionId, 'mystery-local-7b')
    expect(status.context).toMatchObject({
      windowTokens: 8_192,
      windowSource: 'run',
      windowAssumed: false,
    })
    const switches = entries.filter((e) => e.type === 'model_switch').map((e) => e.payload)
    expect(switches).toEqual([{ ref: 'env/mystery-local-7b', from: null, contextWindow: 8_192 }])

    // A later run of the session with the same window records nothing new; another window does.
    fake.script({ text: 'again' })
    const again = await runCliIn(
      dataDir,
      [
        'run',
        '--workspace',
        workspace,
        '--session',
        sessionId,
        '--base-url',
        fake.baseUrl,
        '--model',
        'mystery-local-7b',
        '--context-window',
        '16_384',
        'more',
      ],
      { cwd: tmp.path, env: { HOME: tmp.path } },
    )
    expect(again.status).toBe(0)
    const after = await inspect(sessionId, 'mystery-local-7b')
    expect(after.status.context.windowTokens).toBe(16_384)
    expect(after.entries.filter((e) => e.type === 'model_switch')).toHaveLength(2)
  })

  it('the user models.json gives the window of a model the catalog does not know', async () => {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(
      join(dataDir, 'models.json'),
      JSON.stringify({ models: [{ id: 'mystery-local-7b', contextWindow: 65_536 }] }),
    )
    const res = await run('mystery-local-7b')
    expect(res.status).toBe(0)
    expect(res.stderr).not.toContain('window unknown')
    const { status } = await inspect(sessionOf(res), 'mystery-local-7b')
    expect(status.context).toMatchObject({
      windowTokens: 65_536,
      windowSource: 'user',
      windowAssumed: false,
    })
  })

  it('a catalog model has its catalog window', async () => {
    const res = await run('kimi-k2')
    expect(res.status).toBe(0)
    expect(res.stderr).not.toContain('window unknown')
    const { status } = await inspect(sessionOf(res), 'kimi-k2')
    expect(status.context).toMatchObject({ windowSource: 'catalog', windowAssumed: false })
    expect(status.context.windowTokens).toBeGreaterThan(32_768)
  })

  it.each([
    ['abc', '--context-window abc: it must be a whole number of tokens'],
    ['8k', '--context-window 8k: it must be a whole number of tokens'],
    ['1.5', '--context-window 1.5: it must be a whole number of tokens'],
    ['512', '--context-window 512: the context window must be at least 1,024 tokens'],
    ['99999999', '--context-window 99999999: the context window must be at most 10,000,000 tokens'],
  ])('--context-window %s is a usage error that says what is wanted', async (value, message) => {
    const requests = fake.requests.length
    const res = await runCliIn(
      dataDir,
      [
        'run',
        '--workspace',
        workspace,
        '--base-url',
        fake.baseUrl,
        '--model',
        'm',
        '--context-window',
        value,
        'hi',
      ],
      { cwd: tmp.path, env: { HOME: tmp.path } },
    )
    expect(res.status).toBe(2)
    expect(res.stderr.split('\n')[0]).toBe(`paddock: ${message} (e.g. --context-window 131072)`)
    expect(fake.requests.length).toBe(requests)
  })
})
