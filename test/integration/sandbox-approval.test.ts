import { existsSync, readFileSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { ApprovalRequest } from '../../src/shared/entries'
import { ApprovalRequestPayload, ToolResultPayload } from '../../src/shared/entries'
import type { PaddockEvent } from '../../src/shared/events'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'

/**
 * A command the sandbox blocked becomes a question through the engine: "Run once outside the
 * sandbox" (an approval); allowed, it runs unconfined; for the session, the same command is not
 * asked again; refused, the model reads that it was blocked and the user kept it inside.
 * Real bubblewrap, the real agent shell; the model is the fake LLM.
 */

let a: AgentFixture | undefined
const made: string[] = []
const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  await a?.close()
  a = undefined
  for (const close of closers.splice(0)) await close()
  for (const f of made.splice(0)) rmSync(f, { force: true, recursive: true })
})

/** A file outside every session's folder and outside /tmp (the sandbox's /tmp is private). */
function outsideFile(tag: string): string {
  const f = `/var/tmp/paddock-outside-${process.pid}-${tag}-${Math.random().toString(36).slice(2)}`
  made.push(f)
  return f
}

const isSandboxRequest = (e: PaddockEvent): boolean =>
  e.type === 'entry.appended' &&
  e.entry.type === 'approval' &&
  (e.entry.payload as { kind?: string; sandbox?: unknown }).kind === 'request' &&
  (e.entry.payload as { sandbox?: unknown }).sandbox !== undefined

async function sandboxRequest(n: number): Promise<ApprovalRequest> {
  await a!.waitFor(() => a!.events.filter(isSandboxRequest).length >= n)
  const e = a!.events.filter(isSandboxRequest)[n - 1] as Extract<
    PaddockEvent,
    { type: 'entry.appended' }
  >
  return ApprovalRequestPayload.parse(e.entry.payload)
}

function lastToolResult(): string {
  const results = a!.fx.engine.store
    .branch(a!.sessionId)
    .filter((e) => e.type === 'tool_result')
    .map((e) => ToolResultPayload.parse(e.payload))
  return results.at(-1)!.content
}

const answer = (approvalId: string, ans: string): Promise<unknown> =>
  a!.fx.call('sessions.answerApproval', { sessionId: a!.sessionId, approvalId, answer: ans })

describe.runIf(process.platform === 'linux' && existsSync('/usr/bin/bwrap'))(
  'run once outside the sandbox',
  () => {
    it('asks, and runs the blocked command unconfined only when allowed', async () => {
      a = await agentFixture()
      const out = outsideFile('once')
      a.fake.script(
        { toolCalls: [{ name: 'bash', arguments: { command: `echo hi > ${out}` } }] },
        { text: 'done' },
      )
      const run = a.run('Write it', { mode: 'full-auto' })
      const req = await sandboxRequest(1)
      expect(req).toMatchObject({
        tool: 'bash',
        arguments: { command: `echo hi > ${out}` },
        sandbox: { kind: 'write', what: out },
      })
      expect(req.reason).toMatch(/^Blocked by the sandbox: writing /)
      expect(existsSync(out)).toBe(false)
      await answer(req.approvalId, 'allow_once')
      expect(await run).toEqual({ reason: 'done' })
      expect(readFileSync(out, 'utf8')).toBe('hi\n')
      expect(lastToolResult()).toMatch(/^Ran once outside the sandbox, as the user allowed/)
    })

    it('remembers "for the session" for the same command, and keeps a refused one inside', async () => {
      a = await agentFixture()
      const out = outsideFile('session')
      const cmd = `echo again >> ${out}`
      a.fake.script(
        { toolCalls: [{ name: 'bash', arguments: { command: cmd } }] },
        { toolCalls: [{ name: 'bash', arguments: { command: cmd } }] },
        { text: 'done' },
      )
      const run = a.run('Twice', { mode: 'full-auto' })
      await answer((await sandboxRequest(1)).approvalId, 'allow_session')
      expect(await run).toEqual({ reason: 'done' })
      expect(readFileSync(out, 'utf8')).toBe('again\nagain\n')
      expect(a.events.filter(isSandboxRequest)).toHaveLength(1)

      const kept = outsideFile('kept')
      a.fake.script(
        { toolCalls: [{ name: 'bash', arguments: { command: `echo no > ${kept}` } }] },
        { text: 'done' },
      )
      const refused = a.run('Other', { mode: 'full-auto' })
      await answer((await sandboxRequest(2)).approvalId, 'deny')
      expect(await refused).toEqual({ reason: 'done' })
      expect(existsSync(kept)).toBe(false)
      const told = lastToolResult()
      expect(told).toMatch(/^Blocked by the sandbox: writing /)
      expect(told).toContain('The user kept it inside the sandbox.')
    })

    it('still lets that command out after the host restarts (read back from the session log)', async () => {
      a = await agentFixture()
      const out = outsideFile('restart')
      const cmd = `echo kept >> ${out}`
      a.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: cmd } }] }, { text: 'ok' })
      const run = a.run('Once', { mode: 'full-auto' })
      await answer((await sandboxRequest(1)).approvalId, 'allow_session')
      expect(await run).toEqual({ reason: 'done' })
      const { root } = a.fx
      const { fake, sessionId } = a
      // The reopened fixture does not own the folder: removed after the test.
      made.push(root)
      closers.push(() => fake.close())
      await a.fx.engine.drain()
      a.fx.engine.close()

      a = await agentFixture({ fake, reuse: { root }, sessionId })
      fake.script({ toolCalls: [{ name: 'bash', arguments: { command: cmd } }] }, { text: 'ok' })
      expect(await a.run('Again', { mode: 'full-auto' })).toEqual({ reason: 'done' })
      expect(a.events.filter(isSandboxRequest)).toHaveLength(0)
      expect(readFileSync(out, 'utf8')).toBe('kept\nkept\n')
    })

    it('asked before a restart and answered after it: runs outside without asking again', async () => {
      a = await agentFixture()
      const out = outsideFile('asked')
      const cmd = `echo once >> ${out}`
      a.fake.script({ toolCalls: [{ name: 'bash', arguments: { command: cmd } }] }, { text: 'ok' })
      void a.run('Once', { mode: 'full-auto' }).catch(() => undefined)
      const asked = await sandboxRequest(1)
      const { root } = a.fx
      const { fake, sessionId } = a
      made.push(root)
      closers.push(() => fake.close())
      // Paddock stops with the question open.
      await a.fx.engine.drain()
      a.fx.engine.close()

      a = await agentFixture({ fake, reuse: { root }, sessionId })
      fake.script({ text: 'ok' })
      await answer(asked.approvalId, 'allow_once')
      await a.waitFor(() =>
        a!.events.some((e) => e.type === 'entry.appended' && e.entry.type === 'turn_end'),
      )
      expect(a.events.filter(isSandboxRequest)).toHaveLength(0)
      expect(readFileSync(out, 'utf8')).toBe('once\n')
    })
  },
)
