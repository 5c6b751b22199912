import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bashTool } from '../../src/main/tools/bash'
import { createToolContext } from '../../src/main/tools/context'
import { MIN_SECRET_VALUE_CHARS, isSecretEnvName, sanitizedEnv } from '../../src/main/tools/env'
import { createNodeFsOps } from '../../src/main/tools/node-fs-ops'
import { readTool } from '../../src/main/tools/read'
import { eraseTool } from '../../src/main/tools/registry'
import { runTool } from '../support/run-tool'
import type { ToolContext, ToolResult } from '../../src/main/tools/types'
import { tempDir } from '../support/temp'

let ws: { path: string; cleanup: () => void }
let data: { path: string; cleanup: () => void }
let root: string
let ctx: ToolContext
const leftovers: number[] = []

beforeEach(() => {
  ws = tempDir('paddock-bash-')
  data = tempDir('paddock-bash-data-')
  root = realpathSync(ws.path)
  ctx = createToolContext({
    workspaceRoot: root,
    spillDir: join(data.path, 'spill'),
    ripgrepPath: null,
  })
})
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  ws.cleanup()
  data.cleanup()
})

function bash(args: Record<string, unknown>, context = ctx): Promise<ToolResult> {
  return runTool(eraseTool(bashTool), args, context)
}

/** Alive and not a zombie (a killed child may wait a moment for its reaper). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }
}

function backgroundPid(content: string): number {
  const match = /bg (\d+)/.exec(content)
  if (!match) throw new Error(`no pid in ${content}`)
  const pid = Number(match[1])
  leftovers.push(pid)
  return pid
}

describe('bash without a terminal (each command a process: the fallback when no PTY can be made)', () => {
  it('runs in the workspace root and reports the exit code', async () => {
    const okResult = await bash({ command: 'pwd' })
    expect(okResult.isError).toBe(false)
    expect(okResult.content).toBe(`${root}\n\nExit code: 0`)
    const failed = await bash({ command: 'echo before; exit 3' })
    expect(failed.isError).toBe(true)
    expect(failed.content).toBe('before\n\nExit code: 3')
    expect(failed.details).toMatchObject({ exitCode: 3, timedOut: false, aborted: false })
    expect((await bash({ command: 'true' })).content).toBe('(no output)\n\nExit code: 0')
  })

  it('captures stderr with stdout, and closes stdin', async () => {
    const result = await bash({ command: 'echo out; echo err >&2; cat; echo done' })
    expect(result.content).toContain('out\n')
    expect(result.content).toContain('err\n')
    expect(result.content).toContain('done')
    expect(result.isError).toBe(false)
  })

  it('strips ANSI escape sequences', async () => {
    const result = await bash({
      command: `printf '\\033[1;31mred\\033[0m plain \\033]0;title\\007\\033[2Kend\\n'`,
    })
    expect(result.content).toBe('red plain end\n\nExit code: 0')
  })

  it('kills the whole process tree on timeout', async () => {
    const result = await bash({ command: 'sleep 30 & echo "bg $!"; wait', timeout_ms: 500 })
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(
      /Timed out after 500 ms; the command and its child processes were killed\.$/,
    )
    expect(result.details).toMatchObject({ timedOut: true })
    expect(isRunning(backgroundPid(result.content))).toBe(false)
  })

  it('escalates to SIGKILL when the processes ignore SIGTERM', async () => {
    const result = await bash({
      command: `trap '' TERM; sleep 30 & echo "bg $!"; wait`,
      timeout_ms: 300,
    })
    expect(result.content).toMatch(/Timed out after 300 ms/)
    expect(isRunning(backgroundPid(result.content))).toBe(false)
  })

  it('stops when the call is aborted', async () => {
    const fifo = join(data.path, 'ready')
    execFileSync('mkfifo', [fifo])
    const controller = new AbortController()
    const pending = bash(
      { command: `sleep 30 & echo "bg $!"; echo started > '${fifo}'; wait` },
      { ...ctx, signal: controller.signal },
    )
    // Opening the FIFO for reading completes once the command has written to it: it is running.
    expect((await readFile(fifo, 'utf8')).trim()).toBe('started')
    controller.abort()
    const result = await pending
    expect(result.isError).toBe(true)
    expect(result.content).toMatch(/Aborted: the command and its child processes were killed\.$/)
    // The group was signalled; on a busy machine the kernel may take a moment to reap it.
    const pid = backgroundPid(result.content)
    await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false)
  })

  it('returns the tail of a long output and spills the whole of it to a file', async () => {
    const result = await bash({ command: 'seq 1 100000' })
    expect(result.isError).toBe(false)
    const spill = result.details?.spillPath
    expect(typeof spill).toBe('string')
    expect(result.content.split('\n')[0]).toBe(
      `[Output truncated: showing the last 2000 of 100000 lines (from line 98001). Full output: ${spill}. Use read with offset to see more.]`,
    )
    expect(result.content).toMatch(/\n98001\n98002\n[\s\S]*\n100000\n\nExit code: 0$/)
    const expected = Array.from({ length: 100000 }, (_, i) => `${i + 1}\n`).join('')
    expect(readFileSync(spill as string, 'utf8')).toBe(expected)
    // The model pages through the spill with read.
    const page = await runTool(eraseTool(readTool), { path: spill, offset: 500, limit: 2 }, ctx)
    expect(page.content).toMatch(/^ {3}500\t500\n {3}501\t501\n/)
  })

  it('streams a huge output to disk and keeps the result within 30 KB', async () => {
    const bytes = 64 * 1024 * 1024
    const result = await bash({ command: `yes 0123456789abcdef | head -c ${bytes}` })
    expect(result.isError).toBe(false)
    expect(Buffer.byteLength(result.content)).toBeLessThan(31 * 1024)
    // 17 bytes per line ("0123456789abcdef\n"); the last one is cut short by head.
    const lines = Math.ceil(bytes / 17)
    expect(result.content).toMatch(
      new RegExp(`^\\[Output truncated: showing the last 1[0-9]{3} of ${lines} lines`),
    )
    const spill = result.details?.spillPath as string
    const fs = createNodeFsOps()
    expect((await fs.stat(spill)).size).toBe(bytes)
  })

  it('cuts a single enormous line to its last 30 KB', async () => {
    const bytes = 8 * 1024 * 1024
    const result = await bash({ command: `head -c ${bytes} /dev/zero | tr '\\0' x` })
    const [header, body] = result.content.split('\n\n')
    expect(header).toMatch(
      /^\[Output truncated: showing the last 30 KB of line 1 \(the output has 1 line\)\. Full output: /,
    )
    expect(body === 'x'.repeat(30 * 1024)).toBe(true)
  })

  it('deletes the spill file when the output fits', async () => {
    await bash({ command: 'echo small' })
    const dir = join(data.path, 'spill')
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
  })

  it('keeps provider keys and Paddock secrets out of the environment', async () => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      OPENAI_API_KEY: 'sk-test',
      PADDOCK_SECRET_X: '1',
      GITHUB_TOKEN: 'ghp_x',
      VISIBLE_SETTING: 'yes',
    }
    // A context made from the raw environment: its processes get the sanitised one.
    const result = await bash(
      { command: 'env' },
      createToolContext({ workspaceRoot: ctx.workspaceRoot, spillDir: ctx.spillDir, env }),
    )
    expect(result.content).toContain('VISIBLE_SETTING=yes')
    expect(result.content).not.toContain('OPENAI_API_KEY')
    expect(result.content).not.toContain('sk-test')
    expect(result.content).not.toContain('PADDOCK_SECRET_X')
    expect(result.content).not.toContain('GITHUB_TOKEN')
  })

  it('does not wait for background processes that keep the output open', async () => {
    const result = await bash({ command: 'sleep 30 & echo "bg $!"' })
    expect(result.isError).toBe(false)
    expect(result.content).toMatch(/Exit code: 0$/)
  })
})

describe('sanitizedEnv', () => {
  it('removes credentials and Paddock variables, keeps the rest', () => {
    const out = sanitizedEnv({
      PATH: '/bin',
      HOME: '/home/u',
      OPENAI_API_KEY: 'a',
      OPENAI_BASE_URL: 'b',
      ANTHROPIC_AUTH_TOKEN: 'c',
      OPENROUTER_KEY: 'd',
      DEEPSEEK_API_KEY: 'e',
      GEMINI_KEY: 'f',
      GOOGLE_API_KEY: 'g',
      AWS_SECRET_ACCESS_KEY: 'h',
      AWS_ACCESS_KEY_ID: 'visible id',
      npm_token: 'i',
      DB_PASSWORD: 'j',
      MY_SECRET: 'k',
      PADDOCK_DATA_DIR: '/data',
      PADDOCK_WEB_TOKEN: 'l',
      TOKENIZERS_PARALLELISM: 'false',
      UNDEFINED_ONE: undefined,
    })
    expect(out).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      TOKENIZERS_PARALLELISM: 'false',
    })
    expect(isSecretEnvName('SSH_AUTH_SOCK')).toBe(false)
  })

  it('removes credential names by their segments, wherever the telling word stands', () => {
    const secret = [
      'API_KEY',
      'APIKEY',
      'TOKEN',
      'token',
      'AWS_BEARER_TOKEN_BEDROCK',
      'NPM_CONFIG__AUTHTOKEN',
      'npm_config__authToken',
      'NGROK_AUTHTOKEN',
      'GITHUB_PAT',
      'AWS_ACCESS_KEY_ID',
      'MY_ACCESS_KEY_2',
      'SSH_PRIVATE_KEY_PATH',
      'PRIVATEKEY',
      'GCP_CREDENTIALS_JSON',
      'SERVICE_CREDENTIAL',
      'SLACK_AUTH_TOKEN_V2',
      'SENTRY_AUTH_TOKEN',
      'STRIPE_APIKEY_LIVE',
      'CLIENTSECRET',
      'SECRETS',
      'MYSQL_PWD',
      'PGPASSWORD',
    ]
    const ordinary = [
      'PATH',
      'HOME',
      'TERM',
      'LANG',
      'PWD',
      'OLDPWD',
      'SHELL',
      'USER',
      'EDITOR',
      'NODE_OPTIONS',
      // Tokenizer libraries' switch, not a credential: TOKENIZERS is not a TOKEN segment.
      'TOKENIZERS_PARALLELISM',
      'MAX_TOKENS',
      'KEYBOARD_LAYOUT',
      'XDG_CONFIG_HOME',
      'XDG_RUNTIME_DIR',
      'npm_config_cache',
      'GIT_AUTHOR_NAME',
      'SSH_AUTH_SOCK',
      'PATHEXT',
      'COMPAT_MODE',
    ]
    for (const name of secret) expect(isSecretEnvName(name), name).toBe(true)
    for (const name of ordinary) expect(isSecretEnvName(name), name).toBe(false)
    const env = Object.fromEntries([...secret, ...ordinary].map((n) => [n, `value of ${n}`]))
    expect(Object.keys(sanitizedEnv(env)).sort()).toEqual([...ordinary].sort())
    // A name the user lets through stays, whichever rule it matches.
    expect(sanitizedEnv(env, { passEnv: ['github_pat', 'NGROK_AUTHTOKEN'] })).toMatchObject({
      GITHUB_PAT: 'value of GITHUB_PAT',
      NGROK_AUTHTOKEN: 'value of NGROK_AUTHTOKEN',
    })
  })

  it('removes names holding _SECRET, or PASSWORD anywhere', () => {
    const out = sanitizedEnv({
      CLIENT_SECRET_ID: 'a',
      SECRET_KEY: 'b',
      DB_PASSWORD_FILE: 'c',
      PGPASSWORD: 'd',
      MYSQL_PWD_PASSWD: 'e',
      KEYBOARD: 'kept',
    })
    expect(Object.keys(out)).toEqual(['KEYBOARD'])
  })

  it('removes the variables keys are read from and any copy of a held secret, whatever the name', () => {
    const out = sanitizedEnv(
      {
        PATH: '/bin',
        LLM_CRED: 'sk-run-key-1234567890',
        llm_cred_lower: 'not the key variable',
        INNOCENT_COPY: 'sk-stored-abcdefghij',
        SHLVL: '1',
        PLACEHOLDER: 'ollama',
      },
      { keyNames: ['LLM_CRED', 'LLM_CRED_LOWER'], values: ['sk-stored-abcdefghij', '1', 'ollama'] },
    )
    // Values shorter than MIN_SECRET_VALUE_CHARS are placeholders, not keys.
    expect(MIN_SECRET_VALUE_CHARS).toBeGreaterThan('ollama'.length)
    expect(out).toEqual({ PATH: '/bin', SHLVL: '1', PLACEHOLDER: 'ollama' })
  })

  it('lets named variables through, but never a key variable, a held secret or PADDOCK_*', () => {
    const out = sanitizedEnv(
      {
        GH_TOKEN: 'gh-passed',
        NPM_TOKEN: 'npm-not-passed',
        OPENROUTER_API_KEY: 'sk-or-1234567890',
        COPY_TOKEN: 'sk-stored-abcdefghij',
        PADDOCK_DATA_DIR: '/data',
      },
      {
        keyNames: ['OPENROUTER_API_KEY'],
        values: ['sk-stored-abcdefghij'],
        passEnv: ['gh_token', 'OPENROUTER_API_KEY', 'COPY_TOKEN', 'PADDOCK_DATA_DIR'],
      },
    )
    expect(out).toEqual({ GH_TOKEN: 'gh-passed' })
  })
})
