import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import type { SessionHost } from './support/session-host'
import { startSessionHost } from './support/session-host'
import { shootBoth } from './support/screenshots'

let env: SessionHost | null = null
test.afterEach(async () => {
  await env?.stop()
  env = null
})

const FILES = {
  'README.md': '# Demo\n\nA small project.\n',
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n',
}

/** Qwen3-Coder's XML tool call, written in the message text after a sentence. */
const QWEN_XML =
  'I will update the README first.\n' +
  '<tool_call>\n<function=edit>\n<parameter=path>\nREADME.md\n</parameter>\n' +
  '<parameter=old_string>\nA small project.\n</parameter>\n' +
  '<parameter=new_string>\nA small, tidy project.\n</parameter>\n</function>\n</tool_call>'

/** A call whose JSON body breaks off: nothing can be read from it. */
const BROKEN = 'Now the title.\n<tool_call>{"name": "edit", "arguments": {"path": </tool_call>'

test('an open model’s quirks are absorbed and shown: repair marks on the cards, Paddock’s correction to the model', async ({
  page,
}) => {
  env = await startSessionHost({ files: FILES })
  const host = env
  host.fake.script(
    // (a) a tool call written as Qwen3-Coder XML in the text, streamed in pieces cut mid-tag
    { text: [QWEN_XML.slice(0, 50), QWEN_XML.slice(50, 140), QWEN_XML.slice(140)] },
    // (b) a structured call whose arguments end with a trailing comma
    {
      toolCalls: [
        {
          name: 'edit',
          arguments:
            '{"path": "src/math.ts", "old_string": "  return a + b\\n", "new_string": "  return a + b // checked\\n",}',
        },
      ],
    },
    // (c) an attempted call that cannot be read: Paddock tells the model, once…
    { text: BROKEN },
    // …and the model calls the tool properly…
    {
      toolCalls: [
        {
          name: 'edit',
          arguments: { path: 'README.md', old_string: '# Demo', new_string: '# Demo project' },
        },
      ],
    },
    // …then answers.
    { text: 'Done: the README is tidier and the sum carries a note.' },
  )
  const sessionId = await host.openSession(page, 'Tidy up')
  await host.client.call('sessions.prompt', {
    sessionId,
    text: 'Tidy the README and note the sum.',
    mode: 'full-auto',
  })
  await expect
    .poll(async () => (await host.client.call('sessions.status', { sessionId })).running)
    .toBe(false)

  // The effects on disk: all three edits ran.
  const read = (p: string): string => readFileSync(join(host.project, p), 'utf8')
  expect(read('README.md')).toBe('# Demo project\n\nA small, tidy project.\n')
  expect(read('src/math.ts')).toContain('return a + b // checked')

  const list = page
    .getByRole('region', { name: 'Transcript' })
    .getByRole('list', { name: 'Conversation' })
  await expect(
    list.getByText('Done: the README is tidier and the sum carries a note.'),
  ).toBeVisible()

  // From the top: the prompt, the call read from the text, the call with repaired arguments.
  await list.press('Home')

  // (a) The call read from the text is a real card, marked with the format it was written in.
  const cards = list.getByRole('article', { name: 'Tool call edit: README.md' })
  await expect(cards).toHaveCount(2)
  const xmlMarks = cards.first().getByRole('list', { name: 'Repairs' })
  await expect(xmlMarks.getByRole('listitem')).toHaveCount(1)
  await expect(xmlMarks).toContainText(/^repaired: 1 tool call\(s\) written as Qwen3-Coder XML/)
  await expect(cards.first().locator('.tool-status')).toHaveText('done')
  // The answer keeps its sentence; the markup that was read is not in it, nor on a line of its own.
  await expect(list.getByText('I will update the README first.')).toBeVisible()
  await expect(list.getByText(/<function=edit>|<parameter=path>/)).toHaveCount(0)
  await expect(list.locator('.event-repair', { hasText: 'Qwen3-Coder' })).toHaveCount(0)

  // (b) The repaired arguments are marked on their card, in words; the card names the file (from
  // the arguments as run: the model's text is not JSON), and both versions are there on demand.
  const math = list.getByRole('article', { name: 'Tool call edit: src/math.ts' })
  await expect(math.locator('.tool-status')).toHaveText('done')
  await expect(math.getByRole('list', { name: 'Repairs' })).toContainText(
    /^repaired: arguments not strict JSON \(trailing commas\)/,
  )
  await math.getByRole('button', { name: 'Arguments' }).click()
  await expect(math.getByText('As run', { exact: true })).toBeVisible()
  await expect(math.getByText('As the model wrote them')).toBeVisible()
  await expect(math.locator('.tool-args').last()).toContainText('// checked\\n",}')
  await shootBoth(page, 'open-models-marks')
  await math.getByRole('button', { name: 'Hide arguments' }).click()

  // (c) The unread call is said as such (not as "fixed"), then Paddock's message to the model —
  // not the user's — and the model's proper call after it.
  const unread = list.locator('.event-repair', { hasText: 'Not run' })
  await expect(unread).toContainText('could not read a tool call')
  const correction = list.locator('.msg-via-correction')
  await expect(correction).toHaveCount(1)
  await correction.scrollIntoViewIfNeeded()
  await expect(correction.locator('.msg-who')).toHaveText(/^Paddock\s*To the model$/i)
  await expect(correction).toContainText('nothing was run')
  await expect(list.locator('.msg-who').filter({ hasText: /^You$/ })).toHaveCount(1)
  await expect(cards.nth(1).locator('.tool-status')).toHaveText('done')
  await shootBoth(page, 'open-models-correction')
})
