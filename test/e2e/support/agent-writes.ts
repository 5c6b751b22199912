import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import type { SessionHost } from './session-host'

/** One scripted write in full-auto, through the contract; resolves when the run ended. */
export async function agentWrites(
  sh: SessionHost,
  sessionId: string,
  path: string,
  content: string,
): Promise<void> {
  sh.fake.script(
    { toolCalls: [{ name: 'write', arguments: { path, content } }] },
    { text: `Wrote ${path}.` },
  )
  await sh.client.call('sessions.prompt', { sessionId, text: `Write ${path}`, mode: 'full-auto' })
  await expect
    .poll(async () => (await sh.client.call('sessions.status', { sessionId })).running)
    .toBe(false)
  await expect.poll(() => readFileSync(join(sh.project, path), 'utf8')).toBe(content)
}
