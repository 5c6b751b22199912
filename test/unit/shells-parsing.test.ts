import { describe, expect, it } from 'vitest'
import { MarkParser, markSequence } from '../../src/main/shells/marks'
import type { Piece } from '../../src/main/shells/marks'
import { skippableRange } from '../../src/main/shells/flood'
import {
  INTEGRATION_FILES,
  commandKeystrokes,
  launchFor,
  shellFamily,
} from '../../src/main/shells/integration'
import { selectShell } from '../../src/main/shells/shell-select'
import { parseProcStat, parsePs, shellTree } from '../../src/main/shells/process-tree'
import { clampSize } from '../../src/main/shells/shell-manager'
import { CommandOutput, collapseCarriageReturns } from '../../src/main/shells/command-output'

const N = 'a1b2c3d4e5f60718'
const m = (body: string): string => markSequence(N, body)

function parseAll(parser: MarkParser, chunks: string[]): Piece[] {
  const out: Piece[] = []
  for (const c of chunks) out.push(...parser.push(c))
  const rest = parser.flush()
  if (rest) out.push({ text: rest })
  // Merge adjacent text pieces, which chunking may split.
  const merged: Piece[] = []
  for (const p of out) {
    const last = merged[merged.length - 1]
    if (last && 'text' in last && 'text' in p) last.text += p.text
    else merged.push('text' in p ? { text: p.text } : p)
  }
  return merged
}

describe('mark parser', () => {
  const stream =
    `${m('D;0')}${m('P;/home/me/a;b')}${m('A')}\x1b[32m$ \x1b[0m${m('B')}ls\r\n${m('C')}` +
    `one\r\ntwo\r\n${m('D;3')}`

  const expected: Piece[] = [
    { mark: { kind: 'command-end', exitCode: 0 } },
    { mark: { kind: 'cwd', path: '/home/me/a;b' } },
    { mark: { kind: 'prompt-start' } },
    { text: '\x1b[32m$ \x1b[0m' },
    { mark: { kind: 'prompt-end' } },
    { text: 'ls\r\n' },
    { mark: { kind: 'command-start' } },
    { text: 'one\r\ntwo\r\n' },
    { mark: { kind: 'command-end', exitCode: 3 } },
  ]

  it('separates marks from text and reads exit codes and folders', () => {
    expect(parseAll(new MarkParser(N), [stream])).toEqual(expected)
  })

  it('reads the set-aside answer, the length of the line it set aside, and continuation prompts', () => {
    expect(
      parseAll(new MarkParser(N), [`${m('R;9')}notice\r\n${m('R;0')}${m('R;x')}${m('M')}> `]),
    ).toEqual([
      { mark: { kind: 'line-set-aside', chars: 9 } },
      { text: 'notice\r\n' },
      { mark: { kind: 'line-set-aside', chars: 0 } },
      { mark: { kind: 'line-set-aside', chars: 0 } },
      { mark: { kind: 'continuation' } },
      { text: '> ' },
    ])
  })

  it('gives the same result however the stream is cut', () => {
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = []
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size))
      expect(parseAll(new MarkParser(N), chunks), `chunks of ${size}`).toEqual(expected)
    }
  })

  it('takes ST as well as BEL as the terminator', () => {
    expect(new MarkParser(N).push(`x\x1b]6973;${N};D;7\x1b\\y`)).toEqual([
      { text: 'x' },
      { mark: { kind: 'command-end', exitCode: 7 } },
      { text: 'y' },
    ])
  })

  it('leaves marks with another nonce, other OSC sequences and garbage as text', () => {
    const foreign = `${markSequence('ffffffffffffffff', 'D;0')}\x1b]0;title\x07\x1b]6973;x\xff\u0000`
    expect(parseAll(new MarkParser(N), [foreign])).toEqual([{ text: foreign }])
  })

  it('lets an unterminated mark through as text once it is implausibly long', () => {
    const parser = new MarkParser(N)
    const start = `\x1b]6973;${N};P;`
    expect(parser.push(start)).toEqual([])
    const pieces = parser.push('x'.repeat(10_000))
    expect(pieces).toEqual([{ text: start + 'x'.repeat(10_000) }])
  })

  it('reads an unknown exit code as null', () => {
    expect(new MarkParser(N).push(m('D;'))).toEqual([
      { mark: { kind: 'command-end', exitCode: null } },
    ])
  })
})

describe('flood thinning', () => {
  const lines = (n: number): string => 'y\r\n'.repeat(n)

  it('skips the oldest plain lines beyond what the screen keeps', () => {
    const text = `partial${lines(100)}tail`
    const range = skippableRange(text, 10)
    expect(range).not.toBeNull()
    const kept = text.slice(0, range!.from) + text.slice(range!.to)
    // The first (partial) line, then exactly the last 10 complete lines and the unfinished tail.
    expect(kept).toBe(`partialy\r\n${lines(10)}tail`)
  })

  it('keeps everything when there are not more lines than the screen holds', () => {
    expect(skippableRange(`x\r\n${lines(10)}`, 10)).toBeNull()
  })

  it('never skips past an escape sequence other than a colour, a control character or a bare LF', () => {
    const cursor = `x\r\n${lines(20)}\x1b[2J${lines(50)}`
    const range = skippableRange(cursor, 10)
    expect(range).not.toBeNull()
    expect(cursor.slice(range!.to)).toContain('\x1b[2J')
    expect(skippableRange(`x\r\ny\ny\ny\r\n${lines(50)}`, 10)).toBeNull()
    expect(skippableRange(`\x1b[?1049h${lines(50)}`, 10)).toBeNull()
    expect(skippableRange(`x\r\n${lines(5)}\x07${lines(50)}`, 10)).toBeNull()
  })

  it('thins lines that overwrite themselves with CR and hold tabs, not past a bell', () => {
    const progress = Array.from({ length: 30 }, (_, i) => `${i}%\r\t${i}0%\r\n`).join('')
    const range = skippableRange(`start\r\n${progress}`, 5)!
    expect(range.from).toBe('start\r\n'.length)
    expect(range.to).toBe('start\r\n'.length + progress.lastIndexOf('25%'))
    expect(skippableRange(`start\r\n\x07${progress}`, 5)).toBeNull()
  })

  it('keeps the colour changes of the lines it skips since the last reset, so the pen ends up the same', () => {
    const coloured = Array.from({ length: 40 }, (_, i) => `\x1b[3${i % 8}mline ${i}\x1b[0m\r\n`)
    const text = `start\r\n${coloured.join('')}\x1b[1mtail`
    const range = skippableRange(text, 5)!
    // Every skipped line ends with a full reset: nothing before the last one matters.
    expect(range.keep).toBe('\x1b[0m')
    const kept = text.slice(0, range.from) + range.keep + text.slice(range.to)
    expect(kept.endsWith(`${coloured.slice(35).join('')}\x1b[1mtail`)).toBe(true)
    // Without resets the pen accumulates: every change since the last reset is kept, in order.
    const bold = `a\r\n\x1b[1mb\r\n\x1b[0;4mc\r\n\x1b[31md\r\n\x1b[42me\r\n${lines(3)}`
    expect(skippableRange(bold, 3)!.keep).toBe('\x1b[0;4m\x1b[31m\x1b[42m')
    expect(skippableRange(`a\r\n\x1b[1mb\r\n\x1b[32mc\r\n${lines(3)}`, 3)!.keep).toBe(
      '\x1b[1m\x1b[32m',
    )
  })

  it('leaves the pen as it would have been when the skipped lines never reset it', async () => {
    const { Screen } = await import('../../src/main/shells/screen')
    const text =
      `header\r\n` +
      Array.from({ length: 2000 }, (_, i) => `\x1b[${i % 2 ? 1 : 3}${i % 8}m${i} z\r\n`).join('') +
      'prompt$ '
    const full = new Screen(80, 24, 100)
    const thin = new Screen(80, 24, 100)
    const range = skippableRange(text, thin.capacity + thin.rows)!
    expect(range.keep.length).toBeGreaterThan(1000)
    const parse = (s: InstanceType<typeof Screen>, t: string): Promise<void> =>
      new Promise((resolve) => s.write(t, () => resolve()))
    await parse(full, text)
    await parse(thin, text.slice(0, range.from) + range.keep + text.slice(range.to))
    expect(thin.snapshot().screen).toBe(full.snapshot().screen)
  })

  it('leaves the screen as it would have been', async () => {
    const { Screen } = await import('../../src/main/shells/screen')
    const text =
      `header\r\n` +
      Array.from(
        { length: 3000 },
        (_, i) => `\x1b[3${i % 8}m${i} ${'z'.repeat(i % 150)}\x1b[0m\r\n`,
      ).join('') +
      '\x1b[1mbold prompt$ '
    const full = new Screen(80, 24, 500)
    const thin = new Screen(80, 24, 500)
    const range = skippableRange(text, thin.capacity + thin.rows)!
    expect(range.to - range.from).toBeGreaterThan(100_000)
    const parse = (s: InstanceType<typeof Screen>, t: string): Promise<void> =>
      new Promise((resolve) => s.write(t, () => resolve()))
    await parse(full, text)
    await parse(thin, text.slice(0, range.from) + range.keep + text.slice(range.to))
    const a = full.snapshot()
    const b = thin.snapshot()
    expect(b.screen.length).toBeGreaterThan(10_000)
    expect(b.screen).toBe(a.screen)
    expect(b.cursor).toEqual(a.cursor)
  })
})

describe('shell integration scripts', () => {
  it('recognises shells by name, on Unix and on Windows', () => {
    expect(shellFamily('/bin/bash')).toBe('bash')
    expect(shellFamily('/usr/local/bin/zsh')).toBe('zsh')
    expect(shellFamily('/usr/bin/dash')).toBe('sh')
    expect(shellFamily('C:\\Program Files\\PowerShell\\7\\pwsh.exe')).toBe('pwsh')
    expect(shellFamily('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe')).toBe(
      'pwsh',
    )
    expect(shellFamily('/usr/bin/fish')).toBe('none')
  })

  it('starts each shell with its script and hands it the nonce through the environment', () => {
    const base = { HOME: '/home/me', ZDOTDIR: '/home/me/.config/zsh', ENV: '/home/me/.shrc' }
    const opts = { nonce: N, agent: true, login: false, baseEnv: base }
    expect(launchFor('/bin/bash', 'bash', '/d', opts)).toEqual({
      file: '/bin/bash',
      args: ['--rcfile', '/d/paddock.bashrc', '-i'],
      env: { PADDOCK_SHELL_NONCE: N, PADDOCK_SHELL_AGENT: '1' },
    })
    expect(launchFor('/bin/zsh', 'zsh', '/d', opts).env).toEqual({
      PADDOCK_SHELL_NONCE: N,
      PADDOCK_SHELL_AGENT: '1',
      PADDOCK_USER_ZDOTDIR: '/home/me/.config/zsh',
      ZDOTDIR: '/d/zsh',
    })
    expect(launchFor('/bin/sh', 'sh', '/d', opts).env).toMatchObject({
      ENV: '/d/paddock.shrc',
      PADDOCK_USER_ENV: '/home/me/.shrc',
    })
    const pwsh = launchFor('C:\\pwsh.exe', 'pwsh', 'C:\\data\\si', { ...opts, agent: false })
    expect(pwsh.args.slice(0, 2)).toEqual(['-NoLogo', '-NoExit'])
    expect(pwsh.args.at(-1)).toMatch(/paddock\.ps1$/)
    expect(pwsh.env).toEqual({ PADDOCK_SHELL_NONCE: N })
  })

  it('makes every script remove the nonce from the environment and print all five marks', () => {
    for (const [name, text] of Object.entries(INTEGRATION_FILES)) {
      if (name.endsWith('.zshenv')) continue
      expect(text, name).toMatch(/unset PADDOCK_SHELL_NONCE|Remove-Item Env:\\PADDOCK_SHELL_NONCE/)
      expect(text, name).toContain('6973;')
      if (name.endsWith('.ps1')) continue
      for (const kind of ['A', 'B', 'C', 'D;', 'P;']) {
        expect(text, `${name} prints ${kind}`).toContain(`;${kind}`)
      }
    }
  })

  it('the PowerShell prompt reports the exit code, folder and prompt bounds in mark form', () => {
    const ps = INTEGRATION_FILES['paddock.ps1']
    expect(ps).toContain(
      '(__PaddockMark "D;$ec") + (__PaddockMark "P;$where") + (__PaddockMark \'A\')',
    )
    expect(ps).toContain("[Console]::Write((__PaddockMark 'C'))")
    // What that prompt prints, as the parser sees it.
    const printed = `${m('D;1')}${m('P;C:\\Users\\me')}${m('A')}PS C:\\Users\\me> ${m('B')}`
    expect(new MarkParser(N).push(printed)).toEqual([
      { mark: { kind: 'command-end', exitCode: 1 } },
      { mark: { kind: 'cwd', path: 'C:\\Users\\me' } },
      { mark: { kind: 'prompt-start' } },
      { text: 'PS C:\\Users\\me> ' },
      { mark: { kind: 'prompt-end' } },
    ])
  })

  it('types commands so that each is one command line', () => {
    expect(commandKeystrokes('bash', 'ls -la')).toBe('ls -la\r')
    expect(commandKeystrokes('zsh', 'a\nb\n')).toBe('\x1b[200~a\nb\x1b[201~\r')
    expect(commandKeystrokes('sh', 'ls')).toBe('__paddock_c; ls\r')
    expect(commandKeystrokes('sh', 'a\r\nb')).toBe('__paddock_c; {\na\nb\n}\r')
    expect(commandKeystrokes('pwsh', 'Get-ChildItem\nGet-Date')).toBe('Get-ChildItem\rGet-Date\r')
  })
})

describe('shell selection', () => {
  const exists =
    (...paths: string[]) =>
    (p: string): boolean =>
      paths.includes(p)

  it('prefers $SHELL, then falls back to bash, then sh', () => {
    const env = { SHELL: '/usr/bin/zsh', PATH: '/usr/bin:/bin' }
    const isExecutable = exists('/usr/bin/zsh', '/bin/bash', '/bin/sh')
    expect(
      selectShell({ platform: 'linux', env, needsIntegration: true, isExecutable }),
    ).toMatchObject({ path: '/usr/bin/zsh', family: 'zsh', fellBack: null })
    const noZsh = selectShell({
      platform: 'linux',
      env,
      needsIntegration: true,
      isExecutable: exists('/bin/sh'),
    })
    expect(noZsh).toMatchObject({ path: '/bin/sh', family: 'sh' })
    expect(noZsh.fellBack).toContain('/usr/bin/zsh is not an executable')
  })

  it('passes over shells without integration for the agent, not for the user', () => {
    const env = { SHELL: '/usr/bin/fish', PATH: '/usr/bin' }
    const isExecutable = exists('/usr/bin/fish', '/bin/bash')
    expect(selectShell({ platform: 'linux', env, needsIntegration: true, isExecutable }).path).toBe(
      '/bin/bash',
    )
    expect(
      selectShell({ platform: 'linux', env, needsIntegration: false, isExecutable }).path,
    ).toBe('/usr/bin/fish')
  })

  it('runs PowerShell on Windows, pwsh first', () => {
    const env = {
      Path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0;C:\\Program Files\\PowerShell\\7',
    }
    const pwsh = 'C:\\Program Files\\PowerShell\\7/pwsh.exe'
    const winps = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0/powershell.exe'
    const both = selectShell({
      platform: 'win32',
      env,
      needsIntegration: true,
      isExecutable: exists(pwsh, winps),
    })
    expect(both).toMatchObject({ family: 'pwsh' })
    expect(both.path).toMatch(/pwsh\.exe$/)
    const onlyOld = selectShell({
      platform: 'win32',
      env,
      needsIntegration: true,
      isExecutable: exists(winps),
    })
    expect(onlyOld.path).toMatch(/powershell\.exe$/)
  })

  it('refuses a configured shell that is missing, with a clear message', () => {
    expect(() =>
      selectShell({
        platform: 'linux',
        env: {},
        configured: '/opt/nope/zsh',
        needsIntegration: true,
        isExecutable: () => false,
      }),
    ).toThrow(
      'The shell /opt/nope/zsh (setting terminals.shell) does not exist or is not executable.',
    )
    expect(() =>
      selectShell({
        platform: 'linux',
        env: {},
        needsIntegration: true,
        isExecutable: () => false,
      }),
    ).toThrow(/^No shell to start: /)
  })
})

describe('process trees', () => {
  it('reads /proc stat lines, command names with spaces and parentheses included', () => {
    expect(parseProcStat('4242 (my (odd) cmd) S 4000 4242 4100 34817 ...')).toEqual({
      pid: 4242,
      ppid: 4000,
      pgid: 4242,
      sid: 4100,
    })
    expect(parseProcStat('garbage')).toBeNull()
  })

  it('reads ps output', () => {
    expect(parsePs('  1     0     1\n 20    1    20\nbad line\n')).toEqual([
      { pid: 1, ppid: 0, pgid: 1, sid: -1 },
      { pid: 20, ppid: 1, pgid: 20, sid: -1 },
    ])
  })

  it("finds a shell's descendants and the members of its session re-parented to init", () => {
    const rows = [
      { pid: 1, ppid: 0, pgid: 1, sid: 1 },
      { pid: 100, ppid: 1, pgid: 100, sid: 100 }, // the shell
      { pid: 101, ppid: 100, pgid: 101, sid: 100 }, // a job
      { pid: 102, ppid: 101, pgid: 101, sid: 100 }, // its child
      { pid: 103, ppid: 1, pgid: 103, sid: 100 }, // orphaned job, same session
      { pid: 200, ppid: 1, pgid: 200, sid: 200 }, // unrelated
    ]
    expect(shellTree(rows, 100).sort()).toEqual([100, 101, 102, 103])
  })
})

describe('sizes and output', () => {
  it('clamps terminal sizes instead of refusing them', () => {
    expect(clampSize(100_000, 0)).toEqual({ cols: 1000, rows: 1 })
    expect(clampSize(1, 30.7)).toEqual({ cols: 2, rows: 30 })
  })

  it('shows lines as a terminal would after carriage returns overwrote them', () => {
    expect(collapseCarriageReturns('10%\r50%\r100%\ndone\r\n')).toBe('100%\ndone\n')
  })

  it('strips escape sequences from what the model reads, split across chunks too', () => {
    const out = new CommandOutput('/nonexistent/never-written.log')
    out.push('\x1b[3')
    out.push('1mred\x1b[0m\r')
    out.push('\nplain\x1b]8;;http://x\x07link\x1b]8;;\x07\r\n')
    out.end()
    expect(out.since(0).text).toBe('red\nplainlink\n')
    expect(out.since(4)).toEqual({ text: 'plainlink\n', missing: 0 })
  })
})
