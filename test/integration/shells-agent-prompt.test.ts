import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CANCEL_NOTICE, SET_ASIDE_NOTICE } from '../../src/main/shells/integration'
import { bashTool } from '../../src/main/tools/bash'
import { eraseTool } from '../../src/main/tools/registry'
import type { ToolResult } from '../../src/main/tools/types'
import type { Fixture } from '../support/shell-fixture'
import { fixture, screenText } from '../support/shell-fixture'

/**
 * What the user may leave in the agent's shell (it is theirs too: the Agent terminal tab) and the
 * agent's next command: it must still run at once, at a clean prompt, and keep what they typed.
 */

/**
 * When the test calls the agent's command stalled (ms): far above what a command at a clean prompt
 * takes even on a loaded machine, far below the 120 s a stalled one would wait; a bound on a
 * failure, not a speed goal.
 */
const STALLED_MS = 25_000

/** A real bash in the session's agent terminal, with a readline that asks early about lists. */
async function agentTerminal(shell = '/bin/bash'): Promise<{ f: Fixture; id: string }> {
  const f = fixture({ shell })
  // Completion lists longer than 20 entries ask first; PATH lists hundreds of commands.
  writeFileSync(join(f.root, 'home', '.inputrc'), 'set completion-query-items 20\n')
  const [info] = await f.manager.list('s1')
  await f.state((t) => t.terminalId === info!.terminalId && t.status === 'running')
  return { f, id: info!.terminalId }
}

/** Wait until the terminal's screen satisfies `ok` (what the user would see). */
async function screenShows(
  f: Fixture,
  id: string,
  ok: (text: string) => boolean,
  what: string,
): Promise<string> {
  const start = Date.now()
  for (;;) {
    const text = await screenText(f, id)
    if (ok(text)) return text
    if (Date.now() - start > STALLED_MS)
      throw new Error(`the screen never showed ${what}:\n${text}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The agent's bash call, failed clearly (and cancelled) if it has not returned in STALLED_MS. */
async function agentRuns(f: Fixture, command: string): Promise<ToolResult> {
  const controller = new AbortController()
  let stalled = false
  const timer = setTimeout(() => {
    stalled = true
    controller.abort()
  }, STALLED_MS)
  try {
    const result = await f.tool(
      eraseTool(bashTool),
      { command, timeout_ms: STALLED_MS },
      { signal: controller.signal },
    )
    if (stalled || result.details?.running === true)
      throw new Error(`the agent's command stalled: ${result.content}`)
    return result
  } finally {
    clearTimeout(timer)
  }
}

/** The last non-empty line on the screen, without its trailing blanks. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trimEnd())
  return lines.filter((l) => l !== '').pop() ?? ''
}

describe("the agent's command after the user left the shell mid-way", () => {
  it('answers a completion question the user left open', async () => {
    const { f, id } = await agentTerminal()
    f.manager.input(id, '\t\t')
    await screenShows(
      f,
      id,
      (t) => /Display all \d+ possibilities\? \(y or n\)$/.test(lastLine(t)),
      'the completion question',
    )
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe('ok\n\nExit code: 0')
    expect(r.details).toMatchObject({ exitCode: 0, running: false })
    // And the next one too: the shell is left at a clean prompt.
    expect((await agentRuns(f, 'echo again')).content).toBe('again\n\nExit code: 0')
  })

  it("quits the completion list's --More-- pager", async () => {
    const { f, id } = await agentTerminal()
    f.manager.input(id, '\t\t')
    await screenShows(f, id, (t) => /\(y or n\)$/.test(lastLine(t)), 'the completion question')
    f.manager.input(id, 'y')
    await screenShows(f, id, (t) => lastLine(t).endsWith('--More--'), 'the --More-- pager')
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe('ok\n\nExit code: 0')
  })

  it('quits a less the user left open, and tells the model', async () => {
    const { f, id } = await agentTerminal()
    writeFileSync(
      join(f.workspace, 'long.txt'),
      Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n'),
    )
    f.manager.input(id, 'less long.txt\r')
    await f.state((t) => t.terminalId === id && t.busy === 'user')
    await screenShows(f, id, (t) => t.includes('line 10'), 'less showing the file')
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe(
      'The user had less open in the shell; it was closed (q) so your command could run.\n\nok\n\nExit code: 0',
    )
  })

  it('sets a half-typed line aside, says so in the terminal, and the user gets it back with ↑', async () => {
    const { f, id } = await agentTerminal()
    f.manager.input(id, 'echo half')
    await screenShows(f, id, (t) => lastLine(t).endsWith('echo half'), 'the half-typed line')
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe('ok\n\nExit code: 0')
    const screen = await screenText(f, id)
    expect(screen.split('\n')).toContain(SET_ASIDE_NOTICE)
    // The agent's command came after the notice and ran alone (no "echo halfecho ok").
    expect(screen).not.toContain('halfecho')
    expect(screen.indexOf('set aside')).toBeLessThan(screen.lastIndexOf('echo ok'))
    // ↑ twice (past the agent's command) brings the line back; Enter runs it.
    f.manager.input(id, '\x1b[A')
    await screenShows(
      f,
      id,
      (t) => lastLine(t).endsWith('echo ok'),
      "the agent's command in history",
    )
    f.manager.input(id, '\x1b[A')
    await screenShows(f, id, (t) => lastLine(t).endsWith('echo half'), 'the line set aside')
    f.manager.input(id, '\r')
    await screenShows(f, id, (t) => t.split('\n').includes('half'), 'the line run')
  })

  it('cancels an unfinished multi-line command, says so, and keeps its lines in the history', async () => {
    const { f, id } = await agentTerminal()
    f.manager.input(id, 'for i in 1 2; do\r')
    await screenShows(f, id, (t) => lastLine(t) === '>', 'the continuation prompt')
    f.manager.input(id, 'echo in')
    await screenShows(f, id, (t) => lastLine(t) === '> echo in', 'the half-typed second line')
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe('ok\n\nExit code: 0')
    expect((await screenText(f, id)).split('\n')).toContain(CANCEL_NOTICE)
    const history = await agentRuns(f, 'history 4')
    expect(history.content).toMatch(/\d+ +for i in 1 2; do\n +\d+ +echo in\n +\d+ +echo ok\n/)
  })

  it('keeps a half-typed line that a completion listing redrew', async () => {
    const { f, id } = await agentTerminal()
    // Two Tabs list the three matches and redraw the prompt, with the line, below the list.
    for (const n of [1, 2, 3]) writeFileSync(join(f.workspace, 'sub', `apple${n}`), '')
    f.manager.input(id, 'ls sub/apple\t\t')
    await screenShows(
      f,
      id,
      (t) => t.includes('apple2') && lastLine(t).endsWith('ls sub/apple'),
      'the list and the line redrawn',
    )
    const r = await agentRuns(f, 'echo ok')
    expect(r.content).toBe('ok\n\nExit code: 0')
  })

  it('adds nothing to the terminal when the prompt was already clean', async () => {
    const { f, id } = await agentTerminal()
    await agentRuns(f, 'echo first')
    await agentRuns(f, 'echo second')
    const text = await screenShows(f, id, (t) => /[#$]$/.test(lastLine(t)), 'the next prompt')
    const lines = text.split('\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatch(/[#$] echo first$/)
    expect(lines.slice(1, 4)).toEqual([
      'first',
      expect.stringMatching(/[#$] echo second$/),
      'second',
    ])
    expect(lines[4]).toMatch(/[#$] ?$/)
  })
})

describe.skipIf(!existsSync('/usr/bin/zsh'))('in zsh', () => {
  it('answers its completion question and sets a half-typed line aside', async () => {
    const { f, id } = await agentTerminal('/usr/bin/zsh')
    f.manager.input(id, 'ls /usr/bin/\t')
    await screenShows(
      f,
      id,
      (t) => /do you wish to see all \d+ possibilities \(\d+ lines\)\?$/.test(lastLine(t)),
      "zsh's completion question",
    )
    expect((await agentRuns(f, 'echo ok')).content).toBe('ok\n\nExit code: 0')
    f.manager.input(id, 'echo half')
    await screenShows(f, id, (t) => lastLine(t).endsWith('echo half'), 'the half-typed line')
    expect((await agentRuns(f, 'echo again')).content).toBe('again\n\nExit code: 0')
    expect((await screenText(f, id)).split('\n')).toContain(SET_ASIDE_NOTICE)
    f.manager.input(id, '\x1b[A')
    await screenShows(f, id, (t) => lastLine(t).endsWith('echo again'), "the agent's command")
    f.manager.input(id, '\x1b[A')
    await screenShows(f, id, (t) => lastLine(t).endsWith('echo half'), 'the line set aside')
  })
})
