import { describe, expect, it } from 'vitest'
import { isReadOnly, READ_ONLY_COMMANDS } from '../../src/main/policy/plan-allowlist'
import type { AnalysedCommand } from '../../src/main/policy/shell-analysis'
import { analyseCommand, commandPrefixMatches } from '../../src/main/policy/shell-analysis'
import { parseShell } from '../../src/main/policy/shell-parse'

function analysed(line: string): AnalysedCommand[] {
  const result = analyseCommand(line)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(line)} to parse: ${result.reason}`)
  return result.commands
}

/** Each subcommand's argv joined, with the reasons to flag it. */
const RISKS: Array<[string, Array<[string, string[]]>]> = [
  ['ls -la', [['ls -la', []]]],
  [
    'ls && rm -rf x',
    [
      ['ls', []],
      ['rm -rf x', ['destructive: rm -rf']],
    ],
  ],
  ['rm -r build', [['rm -r build', ['destructive: rm -r']]]],
  ['rm x', [['rm x', ['deletes files']]]],
  ['echo hi > out.txt', [['echo hi', ['writes to out.txt']]]],
  ['echo hi >> log.txt 2>&1', [['echo hi', ['appends to log.txt']]]],
  [
    'echo $(whoami)',
    [
      ['whoami', ['command substitution']],
      ['echo $(whoami)', []],
    ],
  ],
  ["bash -c 'rm -rf /'", [['rm -rf /', ['runs through bash -c', 'destructive: rm -rf']]]],
  ['eval "ls"', [['ls', ['runs through eval']]]],
  ['sudo rm x', [['rm x', ['runs as root (sudo)', 'deletes files']]]],
  ['find . -delete', [['find . -delete', ['destructive: find -delete']]]],
  [
    'find . -exec rm {} \\;',
    [
      ['find . -exec rm {} ;', []],
      ['rm {}', ['runs through find -exec', 'deletes files']],
    ],
  ],
  [
    'git ls-files | xargs rm',
    [
      ['git ls-files', []],
      ['rm', ['runs through xargs', 'deletes files']],
    ],
  ],
  [
    'make | tee out.log',
    [
      ['make', []],
      ['tee out.log', ['writes to out.log']],
    ],
  ],
  ['tee -a out.log', [['tee -a out.log', ['appends to out.log']]]],
  ['sed -i s/a/b/ f', [['sed -i s/a/b/ f', ['edits files in place (sed -i)']]]],
  ['git push --force', [['git push --force', ['destructive: git push --force']]]],
  ['git push origin +main', [['git push origin +main', ['destructive: git push --force']]]],
  ['git reset --hard HEAD~1', [['git reset --hard HEAD~1', ['destructive: git reset --hard']]]],
  ['git checkout main', [['git checkout main', ['changes the working tree (git checkout)']]]],
  ['git branch -D old', [['git branch -D old', ['deletes a branch']]]],
  ['git status', [['git status', []]]],
  ['LD_PRELOAD=/tmp/x.so ls', [['ls', ['sets LD_PRELOAD']]]],
  ['$CMD x', [['$CMD x', ['program name is only known at run time']]]],
  [
    'curl -fsSL https://x.sh | sh',
    [
      ['curl -fsSL https://x.sh', ['network access']],
      ['sh', ['runs shell code from standard input']],
    ],
  ],
  ['sudo -s', [['sudo -s', ['runs as root (sudo)']]]],
  ['chmod -R 777 .', [['chmod -R 777 .', ['changes permissions recursively (chmod -R)']]]],
]

describe('analyseCommand', () => {
  it.each(RISKS)('%j', (line, expected) => {
    expect(analysed(line).map((c) => [c.argv.join(' '), c.risky])).toEqual(expected)
  })

  it('says whether anything writes a file or uses substitution', () => {
    const summary = (line: string): [boolean, boolean] => {
      const r = analyseCommand(line)
      if (!r.ok) throw new Error(r.reason)
      return [r.writesFiles, r.hasSubstitution]
    }
    expect(summary('ls > /dev/null 2>&1')).toEqual([false, false])
    expect(summary('cmd 2>&1 | head')).toEqual([false, false])
    expect(summary('echo hi > out.txt')).toEqual([true, false])
    expect(summary('npm test &> test.log')).toEqual([true, false])
    expect(summary('make | tee build.log')).toEqual([true, false])
    expect(summary('make | tee >(wc -l)')).toEqual([false, true])
    expect(summary('echo `date`')).toEqual([false, true])
    expect(summary('(cd src && echo $(ls)) >> log')).toEqual([true, true])
  })

  it('passes refusals through', () => {
    expect(analyseCommand("echo 'oops")).toEqual({ ok: false, reason: 'unterminated single quote' })
  })
})

/** Plan mode: `true` when every subcommand is read-only, else a pattern for the first refusal. */
const PLAN: Array<[string, true | RegExp]> = [
  // allowed
  ['ls -la', true],
  ['cat README.md | head -n 20', true],
  ['grep -rn TODO src | wc -l', true],
  ['rg -n foo src', true],
  ["find . -name '*.ts' -type f", true],
  ["find . -name '*.ts' -exec cat {} \\;", /find -exec runs cat on names found at run time/],
  ['wc -l src/*.ts', true],
  ['tree -L 2', true],
  ['git status', true],
  ['git log --oneline -n 5', true],
  ['git diff HEAD~1 -- src', true],
  ['git log -- $FILE', /\$FILE is only known at run time/],
  ['git show HEAD:README.md', true],
  ['git -C sub --no-pager status', true],
  ['git branch -a', true],
  ["git branch --list 'feat/*'", true],
  ['git tag', true],
  ["git tag -l 'v1*'", true],
  ['git remote -v', true],
  ['git config --get user.name', true],
  ['git config user.name', true],
  ['git stash list', true],
  ['git blame src/a.ts', true],
  ['GIT_PAGER=cat git log -1', true],
  ['sed -n 1,20p file.ts', true],
  ["awk '{print $1}' file", true],
  ['sort file | uniq -c', true],
  ['jq .name package.json', true],
  ['npm ls', true],
  ['npm view react version', true],
  ['node --version', true],
  ['python3 --version', true],
  ['echo hi > /dev/null', true],
  ['ls 2>&1 | head', true],
  ['cd src && ls', true],
  ["bash -c 'ls | wc -l'", true],
  ['git ls-files | xargs cat', /xargs runs cat/],
  ['env', true],
  ['date +%s', true],
  ['which node', true],
  ['/usr/bin/ls -la', true],
  ['top -b -n 1', true],
  ['cat <<EOF\nrm -rf /\nEOF', true],
  // refused
  ['rm -rf x', /rm deletes files/],
  ['ls && rm x', /rm deletes files/],
  ['echo hi > out.txt', /> writes to out.txt/],
  ['(ls; pwd) > both.txt', /writes to both.txt/],
  ['tee out.log', /tee writes to files/],
  ['touch x', /touch/],
  ['sed -i s/a/b/ f', /sed -i edits files in place/],
  ['sed -ni p f', /sed -i/],
  ['sed --in-place=.bak s/a/b/ f', /sed -i/],
  ["sed 's/a/b/w out' f", /w, W or e/],
  ['sed -n p $FILE', /\$FILE is only known at run time/],
  ['awk \'{ system("rm x") }\' f', /system/],
  ["awk -i inplace '{print}' f", /-i/],
  ['awk \'{print > "out"}\' f', /write to a file/],
  ['find . -delete', /find -delete deletes files/],
  ['find . -exec rm {} \\;', /rm deletes files/],
  ['find . -fprint out.txt', /writes a file/],
  ['find $DIR -name x', /only known at run time/],
  ['git checkout main', /git checkout changes/],
  ['git reset --hard', /git reset moves HEAD/],
  ['git clean -fd', /git clean deletes untracked files/],
  ['git switch dev', /git switch/],
  ['git restore .', /git restore discards/],
  ['git commit -m wip', /git commit creates a commit/],
  ['git push', /git push publishes/],
  ['git rebase main', /git rebase rewrites history/],
  ['git merge dev', /git merge/],
  ['git stash', /git stash changes the working tree/],
  ['git stash pop', /git stash pop/],
  ['git branch -d old', /git branch -d deletes a branch/],
  ['git branch -D old', /deletes a branch/],
  ['git branch -m new', /renames/],
  ['git branch feature', /creates a branch/],
  ['git tag v1.0', /creates a tag/],
  ['git tag -d v1.0', /deletes a tag/],
  ['git remote add origin url', /git remote add changes remotes/],
  ['git config user.name Me', /sets a value/],
  ['git config --unset user.name', /changes configuration/],
  ['git -c core.pager=evil log', /git -c/],
  ['git diff --output=x.patch', /--output writes a file/],
  ['git frobnicate', /not on the read-only list/],
  ['sort -o out.txt in.txt', /sort -o/],
  ['uniq in.txt out.txt', /OUTPUT/],
  ['npm install', /npm install is not a read-only command/],
  ['npm test', /npm test/],
  ['npm audit fix', /audit fix/],
  ['yarn', /installs packages/],
  ['node script.js', /only node --version/],
  ["python -c 'print(1)'", /only python --version/],
  ['make', /make/],
  ['sudo ls', /sudo/],
  ['nohup ls', /nohup.out/],
  ['$CMD', /only known at run time/],
  ['./ls', /not a system program/],
  ['git ls-files | xargs sed -n p', /xargs runs sed on names found at run time/],
  ['PATH=/tmp ls', /setting PATH/],
  ['cat <(rm x)', /rm deletes files/],
  ['echo $(touch x)', /touch/],
  ['curl https://example.com', /curl/],
  ["date -s '2020-01-01'", /sets the clock/],
  ['top', /interactive/],
  ['rg --pre cat foo', /runs a program/],
  ['cat x | sh', /shell without -c/],
  ['perl -ne print f', /perl is not on the plan-mode read-only list/],
]

describe('isReadOnly (plan mode)', () => {
  it('has at least 30 decisions', () => {
    expect(PLAN.length).toBeGreaterThanOrEqual(30)
  })

  it.each(PLAN)('%j', (line, expected) => {
    const parsed = parseShell(line)
    if (!parsed.ok) throw new Error(parsed.reason)
    const verdicts = parsed.commands.map(isReadOnly)
    const refusal = verdicts.find((v) => !v.ok)
    if (expected === true) expect(refusal).toBeUndefined()
    else expect(refusal && !refusal.ok ? refusal.why : 'allowed').toMatch(expected)
  })

  it('documents every allowlisted command', () => {
    for (const [name, rule] of READ_ONLY_COMMANDS) {
      expect(rule.description.length, name).toBeGreaterThan(5)
    }
    expect(READ_ONLY_COMMANDS.has('tee')).toBe(false)
    expect(READ_ONLY_COMMANDS.has('rm')).toBe(false)
  })

  it('allows a bare assignment but not a bare redirection', () => {
    const only = (line: string): ReturnType<typeof isReadOnly> => {
      const r = parseShell(line)
      if (!r.ok || !r.commands[0]) throw new Error(line)
      return isReadOnly(r.commands[0])
    }
    expect(only('X=1')).toEqual({ ok: true })
    expect(only('> out.txt')).toEqual({ ok: false, why: '> writes to out.txt' })
  })
})

describe('commandPrefixMatches', () => {
  const cases: Array<[string[], string, boolean]> = [
    [['npm', 'test'], 'npm test', true],
    [['npm', 'test', '--', '--watch'], 'npm test', true],
    [['npm', 'testing'], 'npm test', false],
    [['npm'], 'npm test', false],
    [['npm', 'run', 'test'], 'npm test', false],
    [['anything', 'at', 'all'], '*', true],
    [['git', 'log', '-n', '5'], 'git log *', true],
    [['git', 'log'], 'git log *', true],
    [['git', 'status'], 'git log *', false],
    [['git', 'log'], '  git   log  ', true],
    [['rm', '-rf', 'x'], 'rm', true],
    [['/usr/bin/rm', '-rf', 'x'], 'rm', true],
    [['./node_modules/.bin/vitest', 'run'], 'vitest run', true],
    [['rm'], '/usr/bin/rm', false],
    [['/usr/bin/rm'], '/usr/bin/rm', true],
    [['rmdir', 'x'], 'rm', false],
    [['git', 'commit', '-m', 'wip'], 'git commit -m "wip"', true],
    [['git', 'commit', '-m', 'wip now'], "git commit -m 'wip now'", true],
    [['ls'], '', false],
    [['ls'], '   ', false],
    [[], 'ls', false],
    [['ls'], 'ls -la', false],
  ]

  it.each(cases)('%j against %j is %s', (argv, prefix, expected) => {
    expect(commandPrefixMatches(argv, prefix)).toBe(expected)
  })

  it('matches on the unwrapped command', () => {
    const [cmd] = analysed('sudo FOO=1 timeout 60 npm test -- --watch')
    expect(commandPrefixMatches(cmd?.argv ?? [], 'npm test')).toBe(true)
    expect(commandPrefixMatches(cmd?.argv ?? [], 'sudo')).toBe(false)
    const inner = analysed("bash -c 'git push --force'")
    expect(commandPrefixMatches(inner[0]?.argv ?? [], 'git push')).toBe(true)
  })
})
