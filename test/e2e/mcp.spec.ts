import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import { FIXTURE_SERVER } from '../support/mcp'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * Settings → MCP servers in Chromium against the web host: add the fixture server, see its tools,
 * run a session whose agent (the fake LLM) calls one and is asked first, then turn a tool off.
 */

let sh: SessionHost
test.beforeAll(async () => {
  sh = await startSessionHost()
})
test.afterAll(async () => {
  await sh?.stop()
})

async function openMcpSettings(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'MCP servers', exact: true })
    .click()
  const section = settings.getByRole('region', { name: 'MCP servers', exact: true })
  await expect(section.getByRole('heading', { name: 'MCP servers', level: 2 })).toBeVisible()
  return section
}

test('add a server in Settings, see its tools, approve a call in a session, turn a tool off', async ({
  page,
}) => {
  // The project ships a .mcp.json, but it is not trusted: nothing of it starts, and it says so.
  writeFileSync(
    join(sh.project, '.mcp.json'),
    JSON.stringify({ mcpServers: { proj: { command: process.execPath, args: [FIXTURE_SERVER] } } }),
  )
  const sessionId = await sh.openSession(page, 'MCP session')
  const section = await openMcpSettings(page)
  await expect(section.getByText('No MCP server yet')).toBeVisible()
  await expect(section.getByRole('note')).toContainText(
    '.mcp.json is ignored until you trust this workspace',
  )

  const form = section.getByRole('form', { name: 'Add an MCP server' })
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('fx')
  await form.getByRole('textbox', { name: 'Command' }).fill(`${process.execPath} ${FIXTURE_SERVER}`)
  await form.getByRole('button', { name: 'Add server' }).click()

  const servers = section.getByRole('list', { name: 'MCP servers' })
  await expect(servers.getByText('fx', { exact: true })).toBeVisible()
  await expect(servers.getByText('Not started')).toBeVisible()
  await servers.getByRole('button', { name: 'Start' }).click()
  await expect(servers.getByText('Running')).toBeVisible()
  const tools = section.getByRole('list', { name: 'Tools of fx' })
  await expect(tools.getByRole('checkbox', { name: 'echo' })).toBeChecked()
  await expect(tools.getByRole('checkbox', { name: 'note' })).toBeChecked()
  // Pinned: its tools stay listed even when the schemas would go behind mcp_search.
  const pinned = servers.getByRole('checkbox', { name: 'Pinned' })
  await pinned.click()
  await expect(pinned).toBeChecked()
  expect((await sh.client.call('mcp.list', {})).servers[0]?.pinned).toBe(true)
  await shootBoth(page, 'settings-mcp')

  // A session calls a tool of the server: it asks first (ask mode), and runs once approved.
  await page.getByRole('button', { name: 'Close settings' }).click()
  sh.fake.script(
    { toolCalls: [{ name: 'mcp__fx__note', arguments: { text: 'from the agent' } }] },
    { text: 'Noted it.' },
  )
  const message = page.getByRole('textbox', { name: 'Message' })
  await expect(message).toBeVisible()
  await message.fill('Take a note')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const transcript = page.getByRole('region', { name: 'Transcript' })
  const card = transcript.getByRole('group', { name: /^Approval: / })
  await expect(card).toBeVisible()
  await expect(card).toContainText('mcp__fx__note')
  await shootBoth(page, 'mcp-approval')
  await card.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(transcript).toContainText('Noted it.')
  const entries = await sh.client.call('sessions.entries', { sessionId })
  const result = entries.find((e) => e.type === 'tool_result')
  expect(result?.payload).toMatchObject({ content: 'noted: from the agent', isError: false })

  // An image a tool returns is shown in the transcript.
  sh.fake.script({ toolCalls: [{ name: 'mcp__fx__image', arguments: {} }] }, { text: 'A pixel.' })
  await message.fill('Show the image')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  const imageCard = transcript.getByRole('group', { name: /^Approval: / }).last()
  await imageCard.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(transcript).toContainText('A pixel.')
  await expect(transcript.getByRole('img', { name: 'Image 1 from mcp__fx__image' })).toBeVisible()
  await shootBoth(page, 'mcp-image')

  // Turn the tool off: the next run no longer offers it.
  const again = await openMcpSettings(page)
  const note = again
    .getByRole('list', { name: 'Tools of fx' })
    .getByRole('checkbox', { name: 'note' })
  await note.click()
  await expect(note).not.toBeChecked()
  await expect
    .poll(async () => {
      const list = await sh.client.call('mcp.list', {})
      return list.servers[0]?.tools.find((t) => t.name === 'note')?.enabled
    })
    .toBe(false)
  await page.getByRole('button', { name: 'Close settings' }).click()
  sh.fake.script({ text: 'Nothing to do.' })
  await message.fill('Anything else?')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(transcript).toContainText('Nothing to do.')
  const last = sh.fake.chatRequests().at(-1)!
  const offered = (last.tools ?? []).map((t) => ('function' in t ? t.function.name : ''))
  expect(offered).toContain('mcp__fx__echo')
  expect(offered).not.toContain('mcp__fx__note')
})
