import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { creditedPaths } from '../../src/renderer/src/features/changes/credited'
import type { WsClient } from '../../src/shared/ws-client'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { connectClient } from '../support/node-client'
import { tempDir } from '../support/temp'
import { waitUntil, waitUntilAsync } from '../support/wait'
import type { RunningWebHost } from '../support/web-host'
import { startWebHost } from '../support/web-host'

/**
 * "Changed by this session" in Changes credits what the session's own tools changed: not a file
 * you edit in your editor while the agent thinks or answers, though it lands in the session's
 * checkpoints too (a checkpoint holds what changed since the workspace's previous one).
 */
let tmp: ReturnType<typeof tempDir>
let fake: FakeLlm
let host: RunningWebHost
let client: WsClient
let project: string

beforeEach(async () => {
  tmp = tempDir('paddock-credit-')
  project = join(tmp.path, 'home', 'project')
  mkdirSync(project, { recursive: true })
  writeFileSync(join(project, 'notes.txt'), 'first\n')
  fake = await startFakeLlm()
  host = await startWebHost({
    dataDir: join(tmp.path, 'data'),
    env: {
      HOME: join(tmp.path, 'home'),
      PADDOCK_BASE_URL: fake.baseUrl,
      PADDOCK_MODEL: 'fake-model',
    },
  })
  client = connectClient(host)
})

afterEach(async () => {
  client.close()
  await host.stop()
  await fake.close()
  tmp.cleanup()
})

/** A promise and the function that settles it. */
function opening(): { gate: Promise<void>; open: () => void } {
  let open = (): void => {}
  const gate = new Promise<void>((r) => (open = r))
  return { gate, open }
}

function until(check: () => Promise<boolean>, what: string): Promise<void> {
  return waitUntilAsync(check, 30_000, what)
}

it("credits the session's tool writes, not the files you edit while its steps run", async () => {
  const ws = await client.call('workspaces.open', { path: project })
  const s = await client.call('sessions.create', { workspaceId: ws.id, title: 'Credit' })
  await client.call('checkpoints.create', { sessionId: s.id })

  const thinking = opening()
  const answering = opening()
  fake.script(
    {
      gate: thinking.gate,
      toolCalls: [{ name: 'write', arguments: { path: 'agent.txt', content: 'agent\n' } }],
    },
    { gate: answering.gate, text: 'Wrote agent.txt.' },
  )
  await client.call('sessions.prompt', {
    sessionId: s.id,
    text: 'Write agent.txt',
    mode: 'full-auto',
  })

  // You edit a file while the model works out its step…
  await waitUntil(() => fake.chatRequests().length === 1, 30_000, 'the first request')
  writeFileSync(join(project, 'while-thinking.txt'), 'mine\n')
  thinking.open()
  // …and another once the step's tool ran and its end-of-step checkpoint is in, while it answers.
  await until(async () => {
    const list = await client.call('checkpoints.list', { sessionId: s.id })
    return list.some((c) => c.reason === 'turn-end' && c.files.some((f) => f.path === 'agent.txt'))
  }, "the step's end-of-step checkpoint")
  await waitUntil(() => fake.chatRequests().length === 2, 30_000, 'the second request')
  writeFileSync(join(project, 'while-answering.txt'), 'mine too\n')
  answering.open()
  await until(async () => {
    const entries = await client.call('sessions.entries', { sessionId: s.id })
    return entries.some((e) => e.type === 'turn_end')
  }, 'the run to end')

  const list = await client.call('checkpoints.list', { sessionId: s.id })
  // Both edits are in the session's checkpoints (before the write, and at the run's end)…
  const recorded = new Set(list.flatMap((c) => c.files.map((f) => f.path)))
  expect([...recorded].sort()).toEqual(['agent.txt', 'while-answering.txt', 'while-thinking.txt'])
  // …but only the write is the session's.
  expect([...creditedPaths(list)]).toEqual(['agent.txt'])
})
