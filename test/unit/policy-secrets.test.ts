import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSecretFileName } from '../../src/main/core/secret-files'
import type { PolicyContext } from '../../src/main/policy/decide'
import { decide } from '../../src/main/policy/decide'
import type { Mode } from '../../src/main/policy/modes'
import { tempDir } from '../support/temp'

const MODES: Mode[] = ['ask', 'auto-edit', 'full-auto', 'plan']
const LETTER = { A: 'allow', K: 'ask', D: 'deny' } as const
type L = keyof typeof LETTER

let tmp: ReturnType<typeof tempDir>
let home: string
let root: string
let data: string

beforeAll(() => {
  tmp = tempDir()
  home = join(tmp.path, 'home')
  root = join(home, 'project')
  data = join(tmp.path, 'paddock-data')
  for (const dir of [join(root, 'src'), join(root, 'config'), join(home, '.ssh'), data]) {
    mkdirSync(dir, { recursive: true })
  }
  for (const file of ['.env', 'config/server.pem', 'src/a.ts', 'src/b.ts', 'id_utils.py']) {
    writeFileSync(join(root, file), 'x')
  }
  writeFileSync(join(root, 'src', 'credentials.ts'), 'x')
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'x')
  writeFileSync(join(home, '.ssh', 'config'), 'x')
  symlinkSync(join(home, '.ssh'), join(root, 'keys'))
  writeFileSync(join(data, 'secrets.json'), '{}')
})
afterAll(() => tmp.cleanup())

const ctx = (mode: Mode): PolicyContext => ({
  mode,
  workspaceRoot: root,
  home,
  dataDir: data,
  rules: [],
})

/**
 * Every form of reading a secret, in ask, auto-edit, full-auto and plan (A allow, K ask, D deny).
 * `DATA` stands for Paddock's data folder.
 */
const SECRET_READS: Array<[string, `${L}${L}${L}${L}`]> = [
  // A .env (or key) inside the workspace: asks, plan refuses, full-auto runs it (the user's project).
  ['cat .env', 'KKAD'],
  ['head -n 5 .env', 'KKAD'],
  ['tail .env', 'KKAD'],
  ['less .env', 'KKAD'],
  ["sed -n '1,5p' .env", 'KKAD'],
  ["awk '{print $0}' .env", 'KKAD'],
  ['xxd .env', 'KKAD'],
  ['base64 .env', 'KKAD'],
  ['cp .env leaked.txt', 'KKAD'],
  ['tar czf out.tgz .env', 'KKAD'],
  ['echo $(cat .env)', 'KKAD'],
  ['echo "`cat .env`"', 'KKAD'],
  ['grep KEY < .env', 'KKAD'],
  ['wc -l < .env | head', 'KKAD'],
  ['cat .e*', 'KKAD'],
  ['cat config/*.pem', 'KKAD'],
  ['cat config/server.pem', 'KKAD'],
  ['cat ./config/../.env', 'KKAD'],
  ['cat .env.local', 'KKAD'],
  ['git show HEAD:.env', 'KKAD'],
  ['grep -r KEY . && cat .env', 'KKAD'],
  // Ordinary source files that only look like secrets.
  ['cat id_utils.py', 'AAAA'],
  ['cat src/credentials.ts', 'AAAA'],
  ['cat src/*.ts', 'AAAA'],
  ['grep -rn TODO src', 'AAAA'],
  // The credential folders and the data folder: full-auto refuses too.
  ['cat ~/.ssh/id_rsa', 'KKDD'],
  ['cat $HOME/.ssh/id_rsa', 'KKDD'],
  ['cat "${HOME}/.ssh/id_ed25519"', 'KKDD'],
  ['head -c 100 ~/.ssh/id_rsa', 'KKDD'],
  ['less ~/.ssh/id_rsa', 'KKDD'],
  ["sed -n '1p' ~/.ssh/id_rsa", 'KKDD'],
  ["awk '{print}' ~/.ssh/id_rsa", 'KKDD'],
  ['xxd ~/.ssh/id_rsa', 'KKDD'],
  ['base64 < ~/.ssh/id_rsa', 'KKDD'],
  ['cp ~/.ssh/id_rsa key.txt', 'KKDD'],
  ['tar czf keys.tgz ~/.ssh', 'KKDD'],
  ['ls ~/.ssh', 'KKDD'],
  ['cat ~/.ssh/*', 'KKDD'],
  ['cat $(echo ~/.ssh/id_rsa)', 'KKDD'],
  ['K=~/.ssh/id_rsa; cat $K', 'KKDD'],
  ['cat keys/config', 'KKDD'],
  ['cat keys/*', 'KKDD'],
  ['cat ~/.aws/credentials', 'KKDD'],
  ['cat ~/.config/gh/hosts.yml', 'KKDD'],
  ['ls ~/.gnupg', 'KKDD'],
  ['echo key >> ~/.ssh/authorized_keys', 'KKDD'],
  ['cat DATA/secrets.json', 'KKDD'],
  ['head DATA/secrets.json', 'KKDD'],
  ['base64 DATA/secrets.json', 'KKDD'],
  ['cp DATA/secrets.json .', 'KKDD'],
  ['tar cf - DATA | cat', 'KKDD'],
  ['sqlite3 DATA/paddock.db .dump', 'KKDD'],
  ['jq . < DATA/secrets.json', 'KKDD'],
  ['cat DATA/*.json', 'KKDD'],
  ['cat /proc/self/environ', 'KKDD'],
  ['cat /proc/1/environ', 'KKDD'],
  // The parent's environment (Paddock's, with the API keys) through a dynamic /proc path.
  ['cat /proc/$PPID/environ', 'KKDD'],
  ['cat "/proc/$PPID/environ"', 'KKDD'],
  ['strings /proc/$PPID/environ', 'KKDD'],
  ["tr '\\0' '\\n' < /proc/$PPID/environ", 'KKDD'],
  ['cat /proc/*/environ', 'KKDD'],
  ['cat /proc/`echo 1`/environ', 'KKDD'],
  ['cat /proc/self/task/1/environ', 'KKDD'],
  ['cat /proc/self/root/proc/1/environ', 'KKDD'],
  ['cat /proc/self/rootDATA/paddock.db', 'KKDD'],
  ['cat /proc/self/root/etc/hosts', 'KKAD'],
  ['cat /proc/self/cwd/.env', 'KKAD'],
  ['cat /proc/cpuinfo', 'KKAD'],
  ['cd /proc && cat $PPID/environ', 'KKKD'],
  ['cd /proc/1', 'KKKD'],
  // Values assigned earlier on the line, and paths only known at run time.
  ['x=.e; cat ${x}nv', 'KKAD'],
  ['x=.e; y=nv; cat $x$y', 'KKAD'],
  ['x=~/.ss; cat ${x}h/id_rsa', 'KKDD'],
  ['cat $SOME_FILE', 'KKAD'],
  ['echo $HOSTNAME', 'AAAA'],
  // Programs run on names found at run time.
  ["ls -a | grep '^.e' | xargs cat", 'KKAD'],
  ['ls | parallel cat', 'KKAD'],
  ["find . -name '.e*' -exec cat {} +", 'KKAD'],
  ["find . -name '*.ts' -execdir cat {} \\;", 'KKAD'],
  ['find src -name "*.ts"', 'AAAA'],
  // Searches over a folder that holds a secret file.
  ["grep -r '' .", 'KKAD'],
  ['grep -rh KEY', 'KKAD'],
  ['rg -uu KEY', 'KKAD'],
  ['rg --hidden KEY', 'KKAD'],
  ['rg KEY', 'KKAD'],
  ['git grep KEY', 'KKAD'],
  ["grep -r --exclude=.env --exclude='*.pem' KEY .", 'AAAA'],
  ["rg -g '!.env' -g '!*.pem' KEY", 'AAAA'],
  ['rg KEY src', 'AAAA'],
  ['grep -r --exclude .env --exclude *.pem KEY .', 'AAAA'],
  ["grep -r --include='*.ts' KEY .", 'AAAA'],
  ["rg -g '*.ts' KEY", 'AAAA'],
  ["rg -g '*.ts' -g '.e*' KEY", 'KKAD'],
  // More secret names.
  ['cat .git-credentials', 'KKAD'],
  ['cat .envrc', 'KKAD'],
  ['cat infra/terraform.tfstate', 'KKAD'],
  ['cat infra/terraform.tfstate.backup', 'KKAD'],
  ['cat ~/.docker/config.json', 'KKKD'],
  ['cat config/config.json', 'AAAA'],
  // Outside the workspace: asks (a secret there asks even in full-auto).
  ['cat /etc/hosts', 'KKAD'],
  ['cat ../other/.env', 'KKKD'],
  ['cd /usr/include', 'KKAD'],
  ['cd ..', 'KKKD'],
  ['cd ~/.config', 'KKKD'],
  ['cd', 'KKKD'],
  // The environment.
  ['env', 'KKAD'],
  ['printenv', 'KKAD'],
  ['printenv HOME', 'KKAD'],
  ['set', 'KKAD'],
  ['declare -x', 'KKAD'],
  ['export -p', 'KKAD'],
  ['ps auxe', 'KKAD'],
  ['ps -o pid,command', 'AAAA'],
  ['ps aux', 'AAAA'],
  // Broad searches: outside the workspace they ask; over the credential folders full-auto refuses.
  ['grep -r KEY ~', 'KKDD'],
  ['grep -rn KEY /', 'KKDD'],
  ['rg KEY ~', 'KKDD'],
  ['find / -name secrets.json', 'KKDD'],
  ['find ~ -name id_rsa', 'KKDD'],
  ['find /usr/include -name stdio.h', 'KKAD'],
  ['du -sh ~', 'KKAD'],
]

describe('reading secrets through a command, under each mode', () => {
  for (const [line, expected] of SECRET_READS) {
    it(`${JSON.stringify(line)} → ${expected}`, () => {
      const command = line.replaceAll('DATA', data)
      const got = MODES.map((mode) => decide('bash', { command }, ctx(mode)))
      expect(got.map((d) => d.action)).toEqual([...expected].map((c) => LETTER[c as L]))
      for (const d of got) {
        if (d.action !== 'allow') expect(d.reason).not.toMatch(/read-only command/)
      }
    })
  }

  it('says why: the secret, the credential folder, the data folder, the environment', () => {
    expect(decide('bash', { command: 'cat .env' }, ctx('ask')).reason).toMatch(/secret/)
    expect(decide('bash', { command: 'cat ~/.ssh/id_rsa' }, ctx('full-auto')).reason).toMatch(
      /credential/,
    )
    expect(
      decide('bash', { command: `cat ${data}/secrets.json` }, ctx('full-auto')).reason,
    ).toMatch(/data folder/)
    expect(decide('bash', { command: 'printenv' }, ctx('ask')).reason).toMatch(/environment/)
  })

  it('compares the protected folders without case on case-insensitive file systems', () => {
    for (const command of [
      'cat ~/.SSH/config',
      'cat ~/.Aws/credentials',
      `cat ${data.toUpperCase()}/paddock.db`,
    ]) {
      for (const platform of ['darwin', 'win32'] as const) {
        expect(decide('bash', { command }, { ...ctx('full-auto'), platform }).action, command).toBe(
          'deny',
        )
      }
      expect(
        decide('bash', { command }, { ...ctx('full-auto'), platform: 'linux' }).action,
      ).not.toBe('deny')
    }
  })

  it('a rule that allows the program does not open a protected path', () => {
    const rules = [
      { tool: 'bash', pattern: 'cat', action: 'allow' as const, source: 'user' as const },
    ]
    expect(decide('bash', { command: 'cat README.md' }, { ...ctx('ask'), rules }).action).toBe(
      'allow',
    )
    expect(decide('bash', { command: 'cat .env' }, { ...ctx('ask'), rules }).action).toBe('ask')
    expect(
      decide('bash', { command: 'cat ~/.ssh/id_rsa' }, { ...ctx('full-auto'), rules }).action,
    ).toBe('deny')
  })

  it('the file tools refuse the credential and data folders in full-auto', () => {
    for (const path of [join(home, '.ssh', 'id_rsa'), join(data, 'secrets.json')]) {
      expect(decide('read', { path }, ctx('full-auto')).action).toBe('deny')
      expect(decide('read', { path }, ctx('ask')).action).toBe('ask')
    }
    expect(decide('read', { path: '.env' }, ctx('full-auto')).action).toBe('ask')
  })
})

describe('secret file names', () => {
  it('are narrow enough that ordinary source stays ordinary', () => {
    for (const name of [
      '.env',
      '.env.production',
      'server.pem',
      'tls.key',
      'id_rsa',
      'id_rsa.pub',
      'id_ed25519',
      'id_ecdsa_sk',
      'id_dsa',
      '.npmrc',
      '.netrc',
      '.pgpass',
      'credentials',
      'credentials.json',
      'secrets.yaml',
      '.git-credentials',
      '.envrc',
      'terraform.tfstate',
      'terraform.tfstate.backup',
    ]) {
      expect(isSecretFileName(name), name).toBe(true)
    }
    for (const name of ['id_utils.py', 'credentials.ts', 'env.ts', 'keys.ts', 'README.md', 'id']) {
      expect(isSecretFileName(name), name).toBe(false)
    }
  })
})
