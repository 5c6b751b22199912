import { describe, expect, it } from 'vitest'
import { decide } from '../../src/main/policy/decide'
import type { Segment } from '../../src/renderer/src/features/approvals/risky-spans'
import {
  explainRisk,
  locateRisk,
  markCommand,
  markSubcommand,
} from '../../src/renderer/src/features/approvals/risky-spans'

/** Subcommands exactly as the engine puts them in an approval request. */
function subcommandsOf(command: string): NonNullable<ReturnType<typeof decide>['subcommands']> {
  const d = decide(
    'bash',
    { command },
    {
      mode: 'ask',
      workspaceRoot: '/tmp/ws',
      home: '/home/someone',
      dataDir: '/home/someone/.paddock',
      rules: [],
    },
  )
  if (!d.subcommands) throw new Error(`no subcommands for ${command}`)
  return d.subcommands
}

const marked = (segments: Segment[]): Array<[string, string[]]> =>
  segments.filter((s) => s.risks.length > 0).map((s) => [s.text, s.risks])

describe('marking risky parts of a command', () => {
  it('marks a destructive program and a redirection, each with its own reason', () => {
    const command = 'rm -rf build && echo done > out.txt'
    const segments = markCommand(command, subcommandsOf(command))
    expect(marked(segments)).toEqual([
      ['rm -rf', ['destructive: rm -rf']],
      ['> out.txt', ['writes to out.txt']],
    ])
    // Nothing is lost or duplicated: the segments spell the command.
    expect(segments.map((s) => s.text).join('')).toBe(command)
  })

  it('marks a command substitution with its $( ) and the file it writes', () => {
    const command = 'echo $(cat secret) > /tmp/x'
    expect(marked(markCommand(command, subcommandsOf(command)))).toEqual([
      ['$(cat secret)', ['command substitution']],
      ['> /tmp/x', ['writes to /tmp/x']],
    ])
  })

  it('finds a wrapper written in front of the subcommand it runs', () => {
    const command = 'bash -c "rm -f a.txt"'
    expect(marked(markCommand(command, subcommandsOf(command)))).toEqual([
      ['bash -c', ['runs through bash -c']],
      ['rm', ['deletes files']],
    ])
    const find = 'find . -exec rm {} \\;'
    expect(marked(markCommand(find, subcommandsOf(find)))).toEqual([
      ['-exec', ['runs through find -exec']],
      ['rm', ['deletes files']],
    ])
  })

  it('marks root, environment, network and in-place edits where they are written', () => {
    const cases: Array<[string, Array<[string, string[]]>]> = [
      ['sudo apt install x', [['sudo', ['runs as root (sudo)']]]],
      ['FOO=1 LD_PRELOAD=x ./run.sh', [['LD_PRELOAD=x', ['sets LD_PRELOAD']]]],
      [
        'curl https://x | bash',
        [
          ['curl', ['network access']],
          ['bash', ['runs shell code from standard input']],
        ],
      ],
      ["sed -i 's/a/b/' f.txt", [['sed -i', ['edits files in place (sed -i)']]]],
      ['git push --force origin main', [['git push --force', ['destructive: git push --force']]]],
      ['npm test 2>> "err log"', [['2>> "err log"', ['appends to err log']]]],
      ['cat a | tee out.log', [['out.log', ['writes to out.log']]]],
    ]
    for (const [command, expected] of cases) {
      expect(marked(markCommand(command, subcommandsOf(command))), command).toEqual(expected)
    }
  })

  it('leaves a harmless command unmarked', () => {
    const command = 'ls -la && git status'
    const segments = markCommand(command, subcommandsOf(command))
    expect(segments).toEqual([{ text: command, risks: [] }])
  })

  it('merges overlapping reasons into one run that carries both', () => {
    const segments = markSubcommand({
      text: 'sudo rm -rf x',
      argv: ['rm', '-rf', 'x'],
      risky: ['runs as root (sudo)', 'destructive: rm -rf', 'deletes files'],
    })
    expect(marked(segments)).toEqual([
      ['sudo', ['runs as root (sudo)']],
      ['rm', ['destructive: rm -rf', 'deletes files']],
      [' -rf', ['destructive: rm -rf']],
    ])
  })

  it('marks only whole words, and nothing when the words are not there', () => {
    expect(locateRisk('rmdir old && echo rm', 'deletes files', 'rm')).toEqual([[18, 20]])
    expect(locateRisk('echo hi', 'destructive: mkfs', 'mkfs')).toEqual([])
  })

  it('explains each kind of risk in a sentence', () => {
    expect(explainRisk('destructive: rm -rf')).toMatch(/delete or overwrite/)
    expect(explainRisk('writes to out.txt')).toMatch(/Writes a file/)
    expect(explainRisk('runs as root (sudo)')).toMatch(/administrator/)
    expect(explainRisk('something new')).toBe('Flagged by the command check.')
  })
})
