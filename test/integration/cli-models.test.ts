import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeLlm } from '../support/fake-llm'
import { startFakeLlm } from '../support/fake-llm'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'
import { tempDir } from '../support/temp'

let fake: FakeLlm
let tmp: ReturnType<typeof tempDir>
beforeAll(async () => {
  requireBuild()
  fake = await startFakeLlm({ models: ['qwen3-coder:30b', 'llama3.2:3b'] })
  tmp = tempDir()
})
afterAll(async () => {
  await fake.close()
  tmp.cleanup()
})

function paddock(args: string[]): ReturnType<typeof runNode> {
  return runNode([BIN_PADDOCK, ...args, '--data-dir', tmp.path])
}

describe('paddock models', () => {
  it('detects a local server at a configured address and lists its models', async () => {
    const root = fake.anthropicBaseUrl
    const res = await paddock([
      'models',
      'detect',
      '--ollama',
      root,
      '--lmstudio',
      fake.baseUrl,
      '--json',
    ])
    expect(res.status).toBe(0)
    const found = JSON.parse(res.stdout) as Array<{
      kind: string
      baseUrl: string
      models: string[]
    }>
    expect(found).toEqual([
      { kind: 'ollama', baseUrl: `${root}/v1`, models: ['qwen3-coder:30b', 'llama3.2:3b'] },
      { kind: 'lmstudio', baseUrl: fake.baseUrl, models: ['qwen3-coder:30b', 'llama3.2:3b'] },
    ])
  })

  it('says when no local server answers', async () => {
    const res = await paddock(['models', 'detect', '--ollama', 'http://127.0.0.1:9'])
    expect(res.status).toBe(0)
    expect(res.stdout).toContain('No local model server answered at http://127.0.0.1:9')
  })

  it('fetches an endpoint’s model list and lists the catalog', async () => {
    const fetched = await paddock(['models', 'fetch', '--base-url', fake.baseUrl])
    expect(fetched.status).toBe(0)
    expect(fetched.stdout.split('\n')).toContain('qwen3-coder:30b')
    const list = await paddock(['models', 'list', '--json'])
    const ids = (JSON.parse(list.stdout) as Array<{ id: string }>).map((m) => m.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'kimi-k2',
        'claude-sonnet-4-5',
        'gpt-5',
        'deepseek-v3.1',
        'glm-4.6',
        'qwen3-coder',
      ]),
    )
  })
})
