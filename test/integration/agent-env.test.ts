import { afterEach, describe, expect, it } from 'vitest'
import type { AgentFixture } from '../support/agent'
import { agentFixture } from '../support/agent'
import { startFakeLlm } from '../support/fake-llm'
import { BIN_PADDOCK, requireBuild } from '../support/paths'
import { runNode } from '../support/spawn'

const RUN_KEY = 'sk-run-key-PLANTED-7c41e09a2b'
const STORED = 'sk-stored-PLANTED-55d0f3e8a1c9'

/** Values that must never reach the agent, by the variable that holds each. */
const WITHHELD = {
  // The run's own key, under a name that looks like nothing.
  LLM_CRED: RUN_KEY,
  // The preset's usual variable, although the run reads its key elsewhere.
  OPENROUTER_API_KEY: 'sk-or-usual-PLANTED-19be77',
  MY_SERVICE_TOKEN: 'service-token-PLANTED-3141',
  DB_PASSWORD: 'db-password-PLANTED-2718',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-PLANTED-1618',
  MY_SECRET_SAUCE: 'sauce-PLANTED-1414',
  // Credential names without a `_` before the telling word, or with it in the middle.
  API_KEY: 'bare-api-key-PLANTED-8080',
  TOKEN: 'bare-token-PLANTED-9090',
  AWS_BEARER_TOKEN_BEDROCK: 'bedrock-PLANTED-6060',
  NPM_CONFIG__AUTHTOKEN: 'npm-auth-PLANTED-5050',
  NGROK_AUTHTOKEN: 'ngrok-PLANTED-4040',
  GITHUB_PAT: 'github-pat-PLANTED-3030',
  // A copy of a saved provider's stored key, under an innocent name.
  INNOCENT_COPY: STORED,
}
const PLAIN = 'plain-visible-4711'
const PASSED = 'gh-passed-through-5150'

let a: AgentFixture | undefined
afterEach(async () => {
  await a?.close()
  a = undefined
})

function paddock(args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runNode> {
  return runNode([BIN_PADDOCK, ...args, '--data-dir', a!.fx.dataDir], env)
}

describe('the agent’s environment in a full-auto CLI run', () => {
  it.each([
    ['--api-key-env', ['--api-key-env', 'LLM_CRED'], {}],
    ['PADDOCK_API_KEY_ENV', [], { PADDOCK_API_KEY_ENV: 'LLM_CRED' }],
  ])(
    'holds no key or secret (key named by %s); ordinary and passed-through variables stay',
    async (_how, flags, extraEnv) => {
      requireBuild()
      a = await agentFixture({ fake: await startFakeLlm({ apiKey: RUN_KEY }) })
      // A saved provider whose key rests in the store.
      await a.fx.call('providers.save', {
        name: 'work',
        kind: 'openai',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: STORED,
      })
      const set = await paddock(['settings', 'set', 'agent.passEnv', '["GH_TOKEN"]'], {})
      expect(set.stderr).toBe('')
      expect(set.status).toBe(0)

      a.fake.script(
        { toolCalls: [{ name: 'bash', arguments: { command: 'env' } }] },
        { toolCalls: [{ name: 'bash', arguments: { command: 'printenv' } }] },
        { text: 'done' },
      )
      const res = await paddock(
        [
          'run',
          '--workspace',
          a.workspace,
          '--session',
          a.sessionId,
          '--provider',
          'openrouter',
          '--base-url',
          a.fake.baseUrl,
          '--model',
          'kimi-k2',
          '--mode',
          'full-auto',
          ...flags,
          'Show me the environment',
        ],
        { ...WITHHELD, ...extraEnv, MY_PLAIN_VAR: PLAIN, GH_TOKEN: PASSED },
      )
      expect(res.stderr).not.toContain('✗')
      expect(res.status).toBe(0)
      // The run used the key it was given.
      expect(a.fake.requests[0]!.headers.authorization).toBe(`Bearer ${RUN_KEY}`)

      // What the model was sent back: the output of `env`, then of `printenv`.
      const toModel = a.fake
        .chatRequests()
        .slice(1)
        .map((r) => JSON.stringify(r.messages))
      expect(toModel).toHaveLength(2)
      const log = JSON.stringify(a.fx.engine.store.branch(a.sessionId))
      for (const seen of [...toModel, log]) {
        expect(seen).toContain(`MY_PLAIN_VAR=${PLAIN}`)
        expect(seen).toContain(`GH_TOKEN=${PASSED}`)
        for (const [name, value] of Object.entries(WITHHELD)) {
          expect(seen, name).not.toContain(value)
          // The whole name at the start of a line (`\\n` in JSON), not the tail of `GH_TOKEN=`.
          expect(seen, name).not.toMatch(new RegExp(`(\\\\n|[^A-Za-z0-9_])${name}=`))
        }
      }
    },
  )
})
