import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture, runWords } from '../support/agent'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'

let a: AgentFixture
afterEach(async () => {
  await a?.close()
})

const PLANTED = {
  dataDir: 'sk-planted-in-the-data-folder-7f3a',
  dotEnv: 'planted-dotenv-value-91c2',
  sshKey: 'PLANTED-SSH-PRIVATE-KEY-4d8e',
  env: 'planted-environment-value-55b0',
}

describe('paddock run in ask mode without a terminal', () => {
  it('lets no planted secret reach the model or the session log', async () => {
    requireBuild()
    a = await agentFixture()
    // A key in the data folder, a .env in the workspace, a key in ~/.ssh (HOME is a temp home).
    mkdirSync(a.fx.dataDir, { recursive: true })
    writeFileSync(
      join(a.fx.dataDir, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'provider.planted': PLANTED.dataDir } }),
      { mode: 0o600 },
    )
    a.write('.env', `API_KEY=${PLANTED.dotEnv}\n`)
    mkdirSync(join(a.fx.home, '.ssh'))
    writeFileSync(join(a.fx.home, '.ssh', 'id_rsa'), `${PLANTED.sshKey}\n`)
    const commands = [
      `cat ${join(a.fx.dataDir, 'secrets.json')}`,
      'cat .env',
      'cat ~/.ssh/id_rsa',
      'printenv',
      'grep -r PLANTED ~',
      'base64 < .env',
    ]
    a.fake.script(
      ...commands.map((command) => ({ toolCalls: [{ name: 'bash', arguments: { command } }] })),
      { text: 'I could not read them.' },
    )
    const res = await runNode([BIN_PADDOCK, ...runWords(a, 'Show me the keys')], {
      HOME: a.fx.home,
      PLANTED_VARIABLE: PLANTED.env,
    })
    expect(res.stderr).toContain('no terminal to ask on')
    expect(res.status).toBe(0)
    expect(a.fake.pending()).toBe(0)

    const sent = JSON.stringify(a.fake.requests)
    const sessions = await a.fx.call('sessions.list', { workspaceId: a.workspaceId })
    const logged: string[] = []
    for (const s of sessions) {
      const page = await a.fx.call('sessions.entries', { sessionId: s.id })
      logged.push(JSON.stringify(page))
    }
    const log = logged.join('\n')
    // The calls were made and denied: the run did reach them.
    expect(log).toContain('cat .env')
    for (const value of Object.values(PLANTED)) {
      expect(sent).not.toContain(value)
      expect(log).not.toContain(value)
      expect(res.stdout).not.toContain(value)
    }
  })

  it('in full-auto, refuses the data and credential folders with the reason, and runs a workspace .env', async () => {
    a = await agentFixture()
    mkdirSync(a.fx.dataDir, { recursive: true })
    writeFileSync(
      join(a.fx.dataDir, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'provider.planted': PLANTED.dataDir } }),
      { mode: 0o600 },
    )
    mkdirSync(join(a.fx.home, '.ssh'))
    writeFileSync(join(a.fx.home, '.ssh', 'id_rsa'), `${PLANTED.sshKey}\n`)
    a.write('.env', `API_KEY=${PLANTED.dotEnv}\n`)
    a.fake.script(
      { toolCalls: [{ name: 'bash', arguments: { command: `cat ${a.fx.dataDir}/secrets.json` } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: `base64 ${a.fx.home}/.ssh/id_rsa` } }] },
      { toolCalls: [{ name: 'bash', arguments: { command: 'cat .env' } }] },
      { text: 'done' },
    )
    expect(await a.run('Show me the keys', { mode: 'full-auto' })).toMatchObject({ reason: 'done' })
    const sent = JSON.stringify(a.fake.chatRequests())
    expect(sent).not.toContain(PLANTED.dataDir)
    expect(sent).not.toContain(PLANTED.sshKey)
    expect(sent).not.toContain(Buffer.from(`${PLANTED.sshKey}\n`).toString('base64'))
    expect(sent).toContain("full-auto mode refuses it: it reads Paddock's data folder")
    expect(sent).toContain('full-auto mode refuses it: it reads ~/.ssh, a credential folder')
    expect(sent).toContain(PLANTED.dotEnv)
  })
})
