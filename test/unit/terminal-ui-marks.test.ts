import { Terminal } from '@xterm/headless'
import { describe, expect, it } from 'vitest'
import { createTerminalFeed } from '../../src/renderer/src/app/terminal-feed'
import type { TerminalSessionEvent } from '../../src/renderer/src/app/terminal-feed'
import {
  AgentMarks,
  CommandBook,
  findAnchors,
  parseAnchor,
} from '../../src/renderer/src/features/terminal/agent-marks'
import type { PaddockEvent } from '../../src/shared/events'

/** The anchor the host writes before the agent's command (src/main/shells/agent-shell.ts). */
const anchor = (handle: string): string => `\x1b]6973;agent;${handle}\x07`

function write(term: Terminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve))
}

function lines(term: Terminal): string[] {
  const out: string[] = []
  const b = term.buffer.active
  for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '')
  return out
}

describe('anchors of agent commands', () => {
  it('parses the handle of an anchor payload', () => {
    expect(parseAnchor('agent;cmd-12')).toBe('cmd-12')
    expect(parseAnchor('agent;')).toBeNull()
    expect(parseAnchor('A')).toBeNull()
    expect(parseAnchor('agent;has space')).toBeNull()
    expect(parseAnchor(`agent;${'x'.repeat(65)}`)).toBeNull()
  })

  it('finds anchors in raw output, BEL or ST terminated, in order', () => {
    const data = `$ ${anchor('cmd-1')}ls\r\nout\r\n$ \x1b]6973;agent;cmd-2\x1b\\pwd`
    expect(findAnchors(data)).toEqual(['cmd-1', 'cmd-2'])
    expect(findAnchors('plain output')).toEqual([])
    // Another OSC (a title) is not an anchor.
    expect(findAnchors('\x1b]0;agent;cmd-9\x07')).toEqual([])
  })
})

describe('AgentMarks on a real xterm (headless)', () => {
  it('marks the prompt line where the command appears and keeps the anchor off the screen', async () => {
    const term = new Terminal({ cols: 40, rows: 5, scrollback: 100, allowProposedApi: true })
    const placed: string[] = []
    const marks = new AgentMarks(term, ({ handle }) => placed.push(handle))
    await write(term, 'first line\r\n$ ')
    await write(term, `${anchor('cmd-1')}echo agent-was-here\r\nagent-was-here\r\n$ `)
    expect(placed).toEqual(['cmd-1'])
    expect(marks.get('cmd-1')?.line).toBe(1)
    expect(lines(term).slice(0, 3)).toEqual([
      'first line',
      '$ echo agent-was-here',
      'agent-was-here',
    ])
    expect(lines(term).join('\n')).not.toContain('6973')
    marks.dispose()
    term.dispose()
  })

  it('follows the line as output scrolls, and forgets it once it leaves the scrollback', async () => {
    const term = new Terminal({ cols: 20, rows: 3, scrollback: 5, allowProposedApi: true })
    const marks = new AgentMarks(term)
    await write(term, `$ ${anchor('cmd-1')}make\r\n`)
    expect(marks.get('cmd-1')?.line).toBe(0)
    await write(term, 'a\r\nb\r\n')
    expect(marks.get('cmd-1')?.line).toBe(0)
    expect(marks.handles()).toEqual(['cmd-1'])
    // 3 rows + 5 lines of scrollback: ten more lines push line 0 out.
    await write(term, Array.from({ length: 10 }, (_, i) => `l${i}`).join('\r\n'))
    expect(marks.get('cmd-1')).toBeNull()
    expect(marks.handles()).toEqual([])
    marks.dispose()
    term.dispose()
  })

  it('swallows any sequence of its OSC number, and clear() forgets every mark', async () => {
    const term = new Terminal({ cols: 30, rows: 4, allowProposedApi: true })
    const marks = new AgentMarks(term)
    await write(term, `\x1b]6973;weird\x07ok ${anchor('cmd-3')}`)
    expect(lines(term)[0]).toBe('ok ')
    expect(marks.get('cmd-3')).not.toBeNull()
    marks.clear()
    expect(marks.get('cmd-3')).toBeNull()
    marks.dispose()
    term.dispose()
  })
})

describe('CommandBook: which tool call typed which command', () => {
  const bashResult = (toolCallId: string, handle: string): unknown => ({
    toolCallId,
    toolName: 'bash',
    content: 'ok',
    isError: false,
    durationMs: 3,
    details: { exitCode: 0, running: false, handle, terminalId: 't1' },
  })

  it('guesses from the call running when an anchor arrives', () => {
    const book = new CommandBook()
    book.noteOutput('s1', anchor('cmd-0')) // nothing runs: not the agent's call
    book.noteTurn('s1', 'call-a')
    book.noteOutput('s1', `$ ${anchor('cmd-1')}ls`)
    book.noteTurn('s1', null)
    book.noteTurn('s1', 'call-b')
    book.noteOutput('s1', 'no anchor here')
    book.noteOutput('s1', anchor('cmd-2'))
    book.noteTurn('s2', 'call-c')
    expect(book.handleOf('s1', 'call-a')).toBe('cmd-1')
    expect(book.handleOf('s1', 'call-b')).toBe('cmd-2')
    expect(book.handleOf('s2', 'call-c')).toBeNull()
    book.forget('s1')
    expect(book.handleOf('s1', 'call-a')).toBeNull()
  })

  it("takes the bash result's handle over a guess (output arrives batched, after the agent moved on)", () => {
    const book = new CommandBook()
    book.noteTurn('s1', 'call-a')
    book.noteTurn('s1', 'call-b') // call-a was quick; its output is still on its way
    book.noteOutput('s1', anchor('cmd-1'))
    expect(book.handleOf('s1', 'call-b')).toBe('cmd-1') // a wrong guess…
    book.noteResult('s1', bashResult('call-a', 'cmd-1'))
    book.noteResult('s1', bashResult('call-b', 'cmd-2'))
    expect(book.handleOf('s1', 'call-a')).toBe('cmd-1')
    expect(book.handleOf('s1', 'call-b')).toBe('cmd-2') // …put right by the result
  })

  it('ignores results of other tools and malformed ones', () => {
    const book = new CommandBook()
    book.noteResult('s1', { toolCallId: 'r', toolName: 'read', details: { handle: 'cmd-9' } })
    book.noteResult('s1', { toolCallId: 'b', toolName: 'bash', details: { handle: 7 } })
    book.noteResult('s1', { toolCallId: 'c', toolName: 'bash' })
    book.noteResult('s1', null)
    expect(book.handleOf('s1', 'r')).toBeNull()
    expect(book.handleOf('s1', 'b')).toBeNull()
    expect(book.handleOf('s1', 'c')).toBeNull()
  })
})

describe('the terminal feed', () => {
  const base = { sessionId: 's1', seq: 4, at: 1, ephemeral: true as const }
  const events: PaddockEvent[] = [
    { ...base, type: 'turn.state', state: 'tool', toolCallId: 'call-1' },
    { ...base, type: 'terminal.data', terminalId: 't1', offset: 0, data: 'a' },
    { ...base, type: 'terminal.data', terminalId: 't2', offset: 0, data: 'b' },
    { ...base, sessionId: 's2', type: 'terminal.data', terminalId: 't9', offset: 0, data: 'c' },
    { ...base, type: 'turn.delta', kind: 'text', text: 'hello' },
    { ...base, type: 'terminal.closed', terminalId: 't1' },
    {
      sessionId: 's1',
      seq: 5,
      at: 1,
      type: 'entry.appended',
      entry: {
        id: 'e1',
        parentId: null,
        sessionId: 's1',
        type: 'tool_result',
        payload: {},
        createdAt: 1,
      },
    },
    {
      sessionId: 's1',
      seq: 6,
      at: 1,
      type: 'entry.appended',
      entry: { id: 'e2', parentId: 'e1', sessionId: 's1', type: 'note', payload: {}, createdAt: 1 },
    },
  ]

  it('gives each terminal its own events and each session its terminal and tool events, in order', () => {
    const feed = createTerminalFeed()
    const log: string[] = []
    const tag = (who: string) => (e: TerminalSessionEvent) =>
      log.push(`${who}:${e.type}:${'terminalId' in e ? e.terminalId : ''}`)
    const offT1 = feed.subscribe('t1', tag('t1'))
    feed.subscribeSession('s1', tag('s1'))
    feed.publish(events)
    expect(log).toEqual([
      's1:turn.state:',
      's1:terminal.data:t1',
      't1:terminal.data:t1',
      's1:terminal.data:t2',
      's1:terminal.closed:t1',
      't1:terminal.closed:t1',
      's1:entry.appended:',
    ])
    offT1()
    log.length = 0
    feed.publish(events.slice(1, 2))
    expect(log).toEqual(['s1:terminal.data:t1'])
  })

  it('keeps delivering when one listener throws', () => {
    const feed = createTerminalFeed()
    const got: string[] = []
    const original = console.error
    console.error = () => {}
    try {
      feed.subscribe('t1', () => {
        throw new Error('broken view')
      })
      feed.subscribe('t1', (e) => got.push(e.type))
      feed.publish(events)
    } finally {
      console.error = original
    }
    expect(got).toEqual(['terminal.data', 'terminal.closed'])
  })
})
