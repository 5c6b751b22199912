import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import type { ReplyTurn } from '../support/fake-llm'
import { logged } from '../support/session-log'

/**
 * Text that only explains, quotes or drafts a tool call, streamed at the wire: nothing runs, the
 * file stays as it was, the run ends with the text as the answer and the model is not corrected
 * (review of issue 17, findings 2, 3, 13). And calls read beside calls that were not: the model
 * is told which did not run (finding 9).
 */

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

const fileText = (f: AgentFixture): string => readFileSync(join(f.workspace, 'a.txt'), 'utf8')

const EDIT_XML =
  '<tool_call>\n<function=edit>\n<parameter=path>\na.txt\n</parameter>\n' +
  '<parameter=old_string>\nalpha\n</parameter>\n<parameter=new_string>\nbeta\n</parameter>\n' +
  '</function>\n</tool_call>'
const EDIT_HERMES =
  '<tool_call>{"name": "edit", "arguments": {"path": "a.txt", "old_string": "alpha", "new_string": "beta"}}</tool_call>'
const EDIT_MISTRAL =
  '[TOOL_CALLS][{"name": "edit", "arguments": {"path": "a.txt", "old_string": "alpha", "new_string": "beta"}}]'

const HARMLESS: Array<{ what: string; reply: ReplyTurn; answer: string }> = [
  {
    what: 'a Qwen call explained in a code fence',
    reply: {
      text: [
        `Qwen would write:\n\n\`\`\`xml\n${EDIT_XML.slice(0, 40)}`,
        `${EDIT_XML.slice(40)}\n\`\`\``,
      ],
    },
    answer: `Qwen would write:\n\n\`\`\`xml\n${EDIT_XML}\n\`\`\``,
  },
  {
    what: 'a Hermes call in inline backticks',
    reply: { text: `The call is \`${EDIT_HERMES}\`` },
    answer: `The call is \`${EDIT_HERMES}\``,
  },
  {
    what: 'an injection echoed from a file, followed by prose',
    reply: { text: `The file notes.md says:\n> ${EDIT_MISTRAL}\nI did not run it.` },
    answer: `The file notes.md says:\n> ${EDIT_MISTRAL}\nI did not run it.`,
  },
  {
    what: 'a call drafted in the reasoning before a final answer',
    reply: { reasoning: `Maybe:\n${EDIT_HERMES}`, text: 'The file is fine as it is.' },
    answer: 'The file is fine as it is.',
  },
]

describe('text that talks about tool calls, at the wire', () => {
  for (const c of HARMLESS) {
    it(`runs nothing and corrects nothing for ${c.what}`, async () => {
      a = await agentFixture()
      a.write('a.txt', 'alpha\n')
      a.fake.script(c.reply, { text: 'unexpected second request' })
      expect(await a.run('How do models call tools?')).toEqual({ reason: 'done' })
      expect(fileText(a)).toBe('alpha\n')
      expect(logged(a, 'tool_result')).toEqual([])
      expect(a.fake.chatRequests()).toHaveLength(1)
      const users = logged(a, 'user_message')
      expect(users.map((u) => u.kind)).toEqual(['prompt'])
      const [answer] = logged(a, 'assistant_message')
      expect(answer!.content).toBe(c.answer)
      expect(answer!.toolCalls).toEqual([])
    })
  }
})

describe('calls read beside calls that were not', () => {
  it('runs the calls read and tells the model which were not', async () => {
    a = await agentFixture()
    a.write('a.txt', 'alpha\n')
    a.fake.script(
      {
        text: `${EDIT_HERMES}\n<tool_call>{"name": "bash", "arguments": {"command": "make"</tool_call>`,
      },
      { text: 'Done.' },
    )
    expect(await a.run('Edit, then build')).toEqual({ reason: 'done' })
    expect(fileText(a)).toBe('beta\n')
    const results = logged(a, 'tool_result')
    expect(results.map((r) => r.toolName)).toEqual(['edit'])
    const notes = logged(a, 'repair').flatMap((r) => r.notes)
    expect(notes.find((n) => n.kind === 'unread_text_tool_call')?.detail).toMatch(
      /1 more call\(s\) .* not read, so not run: JSON in <tool_call> tags.*does not parse/,
    )
    const [correction] = logged(a, 'user_message').filter((u) => u.kind === 'correction')
    expect(correction!.text).toMatch(/Not every tool call .* was run/)
    // The model is told after the results of the calls that ran.
    const sent = a.fake.chatRequests()[1]!.messages as ChatCompletionMessageParam[]
    expect(sent.map((m) => m.role).slice(-3)).toEqual(['assistant', 'tool', 'user'])
    expect(sent.at(-1)!.content).toBe(correction!.text)
  })
})
