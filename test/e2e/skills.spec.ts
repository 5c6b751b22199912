import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

/**
 * Agent Skills through the UI: Settings → Skills lists the skills a session finds and what is
 * wrong with the others; `/` in the composer lists the skills, and a prompt sent with `/name`
 * carries the skill's instructions to the model and is marked in the transcript.
 */

let sh: SessionHost | null = null
test.afterEach(async () => {
  await sh?.stop()
  sh = null
})

function skill(root: string, name: string, text: string): void {
  mkdirSync(join(root, name), { recursive: true })
  writeFileSync(join(root, name, 'SKILL.md'), text)
}

async function withSkills(): Promise<SessionHost> {
  const host = await startSessionHost()
  const wsSkills = join(host.project, '.agents', 'skills')
  skill(
    wsSkills,
    'release-notes',
    '---\nname: release-notes\ndescription: Write release notes from the commits since the last tag.\n---\n\nRELEASE-STEPS: list the commits, group them, write the notes.\n',
  )
  skill(wsSkills, 'broken', '---\nname: broken\n---\nNo description here.\n')
  skill(
    join(host.home, '.paddock', 'skills'),
    'tidy-docs',
    '---\nname: tidy-docs\ndescription: Tidy the docs folder.\ndisable-model-invocation: true\n---\n\nTIDY-STEPS.\n',
  )
  return host
}

const messageBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' })

test('Settings → Skills lists the skills, which the model does not see, and the problems', async ({
  page,
}) => {
  sh = await withSkills()
  await sh.openProject()
  await page.goto(sh.host.url)
  await expect(
    page.getByRole('navigation', { name: 'Workspaces' }).getByText('project'),
  ).toBeVisible()
  await page.keyboard.press('Control+Comma')
  const settings = page.getByRole('region', { name: 'Settings' })
  await settings
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('button', { name: 'Skills', exact: true })
    .click()
  const section = settings.getByRole('region', { name: 'Skills', exact: true })

  const yours = section.getByRole('table', { name: 'Skills: Your skills' })
  const tidy = yours.getByRole('row', { name: /tidy-docs/ })
  await expect(tidy).toContainText('Tidy the docs folder.')
  await expect(tidy).toContainText('~/.paddock/skills')
  await expect(tidy).toContainText('Hidden')

  const project = section.getByRole('table', { name: 'Skills: project' })
  const notes = project.getByRole('row', { name: /release-notes/ })
  await expect(notes).toContainText('Write release notes from the commits since the last tag.')
  await expect(notes).toContainText('.agents/skills')
  await expect(notes).toContainText('Listed')
  await expect(project.getByRole('row', { name: /broken/ })).toHaveCount(0)

  const problems = section.getByRole('list', { name: 'Problems: project' })
  await expect(problems.getByRole('listitem')).toHaveCount(1)
  await expect(problems.getByRole('listitem')).toContainText(
    'Not loaded: its frontmatter has no "description"',
  )
  await expect(problems.getByRole('listitem')).toContainText('broken/SKILL.md')
  await shootBoth(page, 'settings-skills')
})

test('/ lists the skills; a prompt sent with /name carries the skill and is marked', async ({
  page,
}) => {
  sh = await withSkills()
  await sh.openSession(page, 'Skill test')
  const box = messageBox(page)
  await box.click()
  await page.keyboard.type('/re')
  const picker = page.getByRole('listbox', { name: 'Commands and skills' })
  await expect(picker.getByRole('option')).toHaveText([/\/release-notes/])
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Backspace')
  await expect(picker.getByRole('option', { name: '/tidy-docs' })).toBeVisible()
  await expect(picker.getByRole('option', { name: '/compact' })).toBeVisible()
  await shootBoth(page, 'composer-slash-picker')
  await page.keyboard.type('rel')
  await page.keyboard.press('Tab')
  await expect(box).toHaveValue('/release-notes ')
  await expect(picker).toHaveCount(0)
  await page.keyboard.type('for 1.2')

  sh.fake.script({ text: 'Here are the notes.' })
  await box.press('Control+Enter')
  const conversation = page.getByRole('list', { name: 'Conversation' })
  await expect(conversation.getByText('Here are the notes.')).toBeVisible()
  const mark = conversation.getByText('Skill loaded:')
  await expect(mark).toBeVisible()
  await expect(mark).toContainText('release-notes')
  await shootBoth(page, 'composer-skill')

  const request = sh.fake.chatRequests().at(-1)!
  const system = JSON.stringify(request.messages.find((m) => m.role === 'system'))
  expect(system).toContain('- release-notes: Write release notes')
  expect(system).not.toContain('tidy-docs')
  const user = JSON.stringify(request.messages.filter((m) => m.role === 'user').at(-1))
  expect(user).toContain('RELEASE-STEPS')
  expect(user).toContain('/release-notes for 1.2')
})
