import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createFileLogger } from '../../src/main/core/logger'
import { REDACTED } from '../../src/main/core/redact'
import { ToolResultPayload } from '../../src/shared/entries'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { tempDir } from '../support/temp'

/**
 * A key planted in the SecretStore, through a whole session in which the user pastes it in the
 * first prompt (the session is titled from it) and the model repeats it: in its
 * text, in a bash command, from a variable, in a file it writes. It must reach no log, no event, no
 * session entry (the database's bytes), no saved terminal scrollback, no Node diagnostic report.
 *
 * What is not redacted, on purpose: a file the model writes into the user's workspace holds what
 * the model wrote, and the checkpoint of that file holds the same bytes (a checkpoint that changed
 * the user's files would restore something else than what was there). That case is asserted as it
 * is, below, and documented in docs/troubleshooting.md.
 */
const KEY = 'sk-planted-3c9e1f7a0b2d4e6f8a1c'
// Not key-shaped: only redaction by value (the store's) can catch it.
const SHAPELESS = 'plantedvalue0000shapeless'

const tmp = tempDir()
let a: AgentFixture | undefined
let llm: FakeLlm | undefined
afterAll(async () => {
  await a?.close()
  await llm?.close()
  tmp.cleanup()
})

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  )
}

/** Git folders (checkpoint stores) under `dir`. */
function gitDirsUnder(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  const here = existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) ? [dir] : []
  return [
    ...here,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'objects')
      .flatMap((d) => gitDirsUnder(join(dir, d.name))),
  ]
}

/** Every object of a git folder, uncompressed, as `<oid> <type>\n<content>` blocks. */
function gitObjects(gitDir: string): string {
  return execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch-all-objects', '--batch'], {
    maxBuffer: 256 * 1024 * 1024,
  }).toString('latin1')
}

describe('a planted key across a whole session', () => {
  it('appears in no log, event, entry or diagnostic report', async () => {
    llm = await startFakeLlm({ apiKey: KEY })
    const logRoot = join(tmp.path, 'logs-root')
    const logger = createFileLogger(logRoot, 'web-host')
    a = await agentFixture({
      fake: llm,
      extra: {
        model: null,
        logger,
        // The host was started with the key in a variable of another name, too.
        env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', COPY_OF_KEY: KEY },
      },
    })
    await a.fx.call('providers.save', {
      name: 'work',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: KEY,
    })
    // A second stored key, of no known shape.
    await a.fx.call('providers.save', {
      name: 'other',
      kind: 'openai',
      baseUrl: llm.baseUrl,
      apiKey: SHAPELESS,
    })
    llm.script(
      {
        text: `Your key is ${KEY} and the other is ${SHAPELESS}.`,
        toolCalls: [
          { name: 'bash', arguments: { command: `echo "literal ${KEY} ${SHAPELESS}"` } },
          { name: 'bash', arguments: { command: 'echo "from-env[$COPY_OF_KEY]"' } },
        ],
      },
      { toolCalls: [{ name: 'write', arguments: { path: 'notes.txt', content: `k=${KEY}\n` } }] },
      { text: `Done; I wrote ${KEY} into notes.txt.` },
    )
    const end = a.nextEnd()
    await a.fx.call('sessions.prompt', {
      sessionId: a.sessionId,
      text: `Is ${SHAPELESS} my key? Show it.`,
      mode: 'full-auto',
      model: 'work/m',
    })
    expect(await end).toMatchObject({ reason: 'done' })
    // The run really used the key, and the model really repeated it.
    expect(llm.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(llm.pending()).toBe(0)
    // A failure that quotes the key, as a provider's error message does, goes through the logger.
    logger.log('error', `provider said: Incorrect API key provided: ${KEY}`, { key: SHAPELESS })
    const rejected = await a.fx.engine.call(
      'sessions.prompt',
      { sessionId: a.sessionId, text: 7, note: KEY },
      { transport: 'test' },
    )
    expect(rejected.ok).toBe(false)

    // Tool results: the literal echo is redacted; the variable never reached the agent.
    const results = a.fx.engine.store
      .branch(a.sessionId)
      .filter((e) => e.type === 'tool_result')
      .map((e) => JSON.stringify(ToolResultPayload.parse(e.payload)))
    expect(results.some((r) => r.includes(`literal ${REDACTED} ${REDACTED}`))).toBe(true)
    expect(results.some((r) => r.includes('from-env[]'))).toBe(true)

    const secrets = [KEY, SHAPELESS]
    const expectClean = (what: string, text: string): void => {
      for (const s of secrets) expect(text.includes(s), `${what} holds ${s}`).toBe(false)
    }

    // Logs: the file logger's and any the engine keeps in its data folder.
    const logFiles = [...filesUnder(logRoot), ...filesUnder(join(a.fx.dataDir, 'logs'))]
    expect(logFiles.length).toBeGreaterThan(0)
    const logText = logFiles.map((f) => readFileSync(f, 'utf8')).join('\n')
    expect(logText).toContain('provider said: Incorrect API key provided: [REDACTED]')
    expectClean('the logs', logText)

    // Events, live and persisted, and the entries as the contract returns them.
    expect(a.events.length).toBeGreaterThan(0)
    expectClean('the events', JSON.stringify(a.events))
    const page = await a.fx.call('sessions.entries', { sessionId: a.sessionId })
    expectClean('the entries', JSON.stringify(page))
    expect(JSON.stringify(page)).toContain(`Your key is ${REDACTED}`)

    // Every byte of the data folder but the SecretStore's file and the checkpoint objects
    // (compressed; read back through git below): the database, its WAL, shells' files, settings.
    // Stopped as a host stops: terminal scrollback is saved, the database checkpointed.
    await a.fx.engine.drain()
    a.fx.engine.db.pragma('wal_checkpoint(FULL)')
    a.fx.engine.close()
    const dataFiles = filesUnder(a.fx.dataDir).filter(
      (f) => !f.endsWith('secrets.json') && !/[/\\]objects[/\\]/.test(f),
    )
    expect(dataFiles.some((f) => /\.(db|sqlite)/.test(f))).toBe(true)
    for (const f of dataFiles) expectClean(f, readFileSync(f).toString('latin1'))
    // The agent's terminal printed the key; its scrollback saved on disk has it redacted.
    const scrollback = dataFiles.filter((f) => /[/\\]terminals[/\\][^/\\]+\.json$/.test(f))
    expect(scrollback.map((f) => readFileSync(f, 'utf8')).join('')).toContain(REDACTED)
    // The SecretStore's file is where the keys rest.
    expect(readFileSync(join(a.fx.dataDir, 'secrets.json'), 'utf8')).toContain(KEY)

    // Checkpoints: what the model wrote into the user's file is the user's file. The checkpoint
    // keeps it byte for byte (so a restore gives back what was there); nothing else holds a key.
    expect(readFileSync(join(a.workspace, 'notes.txt'), 'utf8')).toBe(`k=${KEY}\n`)
    const stores = gitDirsUnder(a.fx.dataDir)
    expect(stores.length).toBeGreaterThan(0)
    const objects = stores.map(gitObjects).join('\n')
    const blocks = objects.split(/\n(?=[0-9a-f]{40} \w+ \d+\n)/)
    const holding = blocks.filter((b) => secrets.some((s) => b.includes(s)))
    expect(holding.length).toBeGreaterThan(0)
    for (const b of holding) {
      expect(b).toMatch(/^[0-9a-f]{40} blob \d+\n/)
      expect(b.slice(b.indexOf('\n') + 1)).toBe(`k=${KEY}\n`)
    }

    // A Node diagnostic report of the process that ran the session.
    const report = join(tmp.path, 'report.json')
    process.report.writeReport(report)
    expectClean('the diagnostic report', readFileSync(report, 'utf8'))
  }, 120_000)
})
