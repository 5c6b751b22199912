import { existsSync, rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'

/**
 * `paddock run --sandbox`: by default the run's agent shell is confined (a write outside is
 * blocked, and with no terminal to ask on, kept inside); `--sandbox off` is the user's choice to
 * run unconfined, and the same write goes through; a wrong value is a usage error.
 */

let a: AgentFixture | undefined
const outside = `/var/tmp/paddock-cli-outside-${process.pid}`
afterEach(async () => {
  await a?.close()
  a = undefined
  rmSync(outside, { force: true })
})

function run(flags: string[]): ReturnType<typeof runNode> {
  return runNode([
    BIN_PADDOCK,
    'run',
    '--workspace',
    a!.workspace,
    '--session',
    a!.sessionId,
    '--base-url',
    a!.fake.baseUrl,
    '--model',
    'fake-model',
    '--mode',
    'full-auto',
    '--data-dir',
    a!.fx.dataDir,
    ...flags,
    'Write outside',
  ])
}

describe.runIf(process.platform === 'linux' && existsSync('/usr/bin/bwrap'))(
  'paddock run --sandbox',
  () => {
    it('confines by default, and runs unconfined with --sandbox off', async () => {
      requireBuild()
      a = await agentFixture()
      const write = { toolCalls: [{ name: 'bash', arguments: { command: `echo x > ${outside}` } }] }
      a.fake.script(write, { text: 'done' })
      const confined = await run([])
      expect(confined.status).toBe(0)
      expect(existsSync(outside)).toBe(false)
      const told = JSON.stringify(a.fake.chatRequests()[1]!.messages)
      expect(told).toContain('Blocked by the sandbox: writing')

      a.fake.script(write, { text: 'done' })
      const off = await run(['--sandbox', 'off'])
      expect(off.status).toBe(0)
      expect(existsSync(outside)).toBe(true)

      const wrong = await run(['--sandbox', 'strict'])
      expect(wrong.status).toBe(2)
      expect(wrong.stderr).toContain('--sandbox must be off or workspace-write')
    })
  },
)
