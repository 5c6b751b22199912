import { describe, expect, it } from 'vitest'
import {
  AGENT_WAITING_TEXT,
  exitText,
  failureText,
  shellName,
  terminalNotices,
} from '../../src/renderer/src/features/terminal/notices'
import { resultsText } from '../../src/renderer/src/features/terminal/search-text'
import type { TerminalInfo } from '../../src/shared/terminals'
import { TerminalInfoSchema } from '../../src/shared/terminals'

function info(over: Partial<TerminalInfo> = {}): TerminalInfo {
  return TerminalInfoSchema.parse({
    terminalId: 't1',
    sessionId: 's1',
    kind: 'agent',
    title: 'Agent',
    status: 'running',
    exit: null,
    cwd: '/work',
    shell: '/bin/bash',
    cols: 80,
    rows: 24,
    restoredScrollback: false,
    restoredAt: null,
    busy: 'idle',
    agentWaiting: false,
    ...over,
  })
}

const kinds = (i: TerminalInfo): string[] => terminalNotices(i, () => 'then').map((n) => n.kind)

describe('why a shell ended', () => {
  it("uses the host's reason as a sentence", () => {
    expect(exitText({ code: 0, signal: null, reason: 'The shell exited with code 0.' })).toBe(
      'The shell exited with code 0.',
    )
    expect(exitText({ code: 2, signal: null, reason: 'exited with code 2' })).toBe(
      'exited with code 2.',
    )
  })

  it('makes one from the signal or the code when the host gave no reason', () => {
    expect(exitText({ code: null, signal: 'SIGKILL', reason: '' })).toBe(
      'The shell was ended by SIGKILL.',
    )
    expect(exitText({ code: 3, signal: null, reason: ' ' })).toBe('The shell exited with code 3.')
    expect(exitText(null)).toBe('The shell has exited.')
  })

  it('says a shell could not start once, capitalised', () => {
    expect(
      failureText({ code: null, signal: null, reason: 'could not start /bin/zsh: ENOENT' }),
    ).toBe('Could not start /bin/zsh: ENOENT.')
    expect(
      failureText({
        code: null,
        signal: null,
        reason: 'Cannot start a shell in /gone: the folder does not exist.',
      }),
    ).toBe('Cannot start a shell in /gone: the folder does not exist.')
    expect(failureText({ code: null, signal: null, reason: 'node-pty is not available' })).toBe(
      'The shell could not start: node-pty is not available.',
    )
    expect(failureText(null)).toBe('The shell could not start.')
  })
})

describe('notices above the terminal', () => {
  it('shows nothing for a running shell at its prompt', () => {
    expect(terminalNotices(info())).toEqual([])
  })

  it('says it is starting, naming the shell', () => {
    expect(terminalNotices(info({ status: 'starting', shell: '/usr/bin/zsh' }))).toEqual([
      { kind: 'starting', text: 'Starting zsh…' },
    ])
  })

  it('says why it exited', () => {
    const n = terminalNotices(
      info({
        status: 'exited',
        exit: { code: 0, signal: null, reason: 'The shell exited with code 0.' },
      }),
    )
    expect(n).toEqual([{ kind: 'exited', text: 'The shell exited with code 0.' }])
  })

  it('says why it failed', () => {
    const n = terminalNotices(
      info({
        status: 'failed',
        exit: { code: null, signal: null, reason: 'could not start /nope: ENOENT' },
      }),
    )
    expect(n).toEqual([{ kind: 'failed', text: 'Could not start /nope: ENOENT.' }])
  })

  it('says the agent waits for the user while it does', () => {
    const n = terminalNotices(info({ busy: 'user', agentWaiting: true }))
    expect(n).toEqual([{ kind: 'waiting', text: AGENT_WAITING_TEXT }])
    expect(AGENT_WAITING_TEXT).toBe('The agent is waiting for your command to finish')
  })

  it('keeps the restored-scrollback marker with when it was saved, under a state', () => {
    const restored = info({
      restoredScrollback: true,
      restoredAt: 1_700_000_000_000,
      status: 'exited',
      exit: { code: 1, signal: null, reason: 'The shell exited with code 1.' },
    })
    expect(kinds(restored)).toEqual(['exited', 'restored'])
    const text = terminalNotices(restored, (ms) => `at ${ms}`)[1]!.text
    expect(text).toBe(
      'Scrollback restored from at 1700000000000, before Paddock restarted. The shell is a new one.',
    )
  })

  it('names shells from their paths', () => {
    expect(shellName('/bin/bash')).toBe('bash')
    expect(shellName('C:\\Program Files\\PowerShell\\7\\pwsh.exe')).toBe('pwsh')
    expect(shellName('')).toBe('the shell')
  })
})

describe('search results in words', () => {
  it('counts matches', () => {
    expect(resultsText('', { index: 0, count: 3 })).toBe('')
    expect(resultsText('x', null)).toBe('')
    expect(resultsText('x', { index: 0, count: 0 })).toBe('No results')
    expect(resultsText('x', { index: 1, count: 3 })).toBe('2 of 3')
    expect(resultsText('x', { index: -1, count: 1000 })).toBe('1000+ matches')
  })
})
