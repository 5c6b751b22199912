/**
 * The environment an agent's processes get: the host's environment minus credentials. Every place
 * that builds one (the agent shell, the process tools, a `ToolContext`) goes through
 * `sanitizedEnv`.
 *
 * The rule, in order (names compared case-insensitively):
 * 1. a variable Paddock reads an API key from (`HeldSecrets.keyNames`: a saved provider's
 *    `apiKeyEnv`, the run's `--api-key-env` / `PADDOCK_API_KEY_ENV`, each preset's usual variable)
 *    is removed, whatever it is called;
 * 2. a variable whose value is a secret Paddock holds (`HeldSecrets.values`: stored keys and the
 *    values of the variables above) is removed, whatever it is called;
 * 3. every `PADDOCK_*` variable is removed: they configure the host (data dir, web token, secrets)
 *    and the data dir holds `secrets.json`;
 * 4. a name the user lets through (`HeldSecrets.passEnv`, the `agent.passEnv` setting, e.g.
 *    `GH_TOKEN` for `gh`) stays, although it looks like a secret;
 * 5. names that look like credentials are removed. A name is split on `_` into segments (empty ones
 *    dropped) and removed when a segment ends in `TOKEN` (`TOKEN`, `GH_TOKEN`,
 *    `AWS_BEARER_TOKEN_BEDROCK`, `NGROK_AUTHTOKEN`, `npm_config__authToken`; not
 *    `TOKENIZERS_PARALLELISM` or `MAX_TOKENS`), ends in `APIKEY` or `SECRET`, starts with `SECRET`,
 *    holds `PASSWORD` / `PASSWD`, is `PAT`, `CREDENTIAL(S)`, `PRIVATEKEY` or `ACCESSKEY`; when two
 *    segments in a row read `API KEY`, `ACCESS KEY` or `PRIVATE KEY` (`AWS_ACCESS_KEY_ID`,
 *    `SSH_PRIVATE_KEY_PATH`); when a name of several segments ends in `PWD` (`MYSQL_PWD`, not
 *    `PWD` or `OLDPWD`); every variable of a model provider's namespace, whatever its suffix
 *    (`OPENAI_*`, `ANTHROPIC_*`, `OPENROUTER_*`, `DEEPSEEK_*`, `GEMINI_*`, `MISTRAL_*`, `GROQ_*`,
 *    `XAI_*`, `TOGETHER_*`, `FIREWORKS_*`, `COHERE_*`, `PERPLEXITY_*`, `AZURE_OPENAI_*`: base URLs
 *    and org ids say which account the host uses).
 * Everything else (PATH, HOME, LANG, SSH_AUTH_SOCK, ...) passes through unchanged.
 */

/** A segment (a name split on `_`) that alone says the variable holds a credential. */
const SECRET_SEGMENT =
  /^(.*TOKEN|.*APIKEY|.*SECRET|SECRET.*|.*PASSWORD.*|.*PASSWD.*|PAT|CREDENTIALS?|PRIVATEKEY|ACCESSKEY)$/

/** Two segments in a row that together say so. */
const SECRET_PAIRS = new Set(['API KEY', 'ACCESS KEY', 'PRIVATE KEY'])

const PROVIDER_PREFIX =
  /^(OPENAI_|ANTHROPIC_|OPENROUTER_|DEEPSEEK_|GEMINI_|MISTRAL_|GROQ_|XAI_|TOGETHER_|FIREWORKS_|COHERE_|PERPLEXITY_|AZURE_OPENAI_)/i

const PADDOCK_PREFIX = /^PADDOCK_/i

/** Whether the segments of a name (rule 5 above) say it holds a credential. */
function hasSecretSegments(name: string): boolean {
  const segments = name
    .toUpperCase()
    .split('_')
    .filter((s) => s !== '')
  if (segments.some((s) => SECRET_SEGMENT.test(s))) return true
  for (let i = 1; i < segments.length; i++) {
    if (SECRET_PAIRS.has(`${segments[i - 1]} ${segments[i]}`)) return true
  }
  return segments.length > 1 && segments[segments.length - 1] === 'PWD'
}

/**
 * Values shorter than this, in characters, are not matched as secrets: they are placeholders
 * (`ollama`, `none`, `1`) that ordinary variables share, not keys.
 */
export const MIN_SECRET_VALUE_CHARS = 8

/** What Paddock knows it must keep from the agent, beyond the name patterns. */
export interface HeldSecrets {
  /** Variables API keys are read from: removed whatever they are called, never let through. */
  keyNames?: Iterable<string>
  /** Secrets Paddock holds: a variable with one of these values is removed, never let through. */
  values?: Iterable<string>
  /** Names let through although they look like secrets (not `PADDOCK_*`, not a key variable). */
  passEnv?: Iterable<string>
}

/** Whether a name looks like a credential (rule 5 above), before any pass-through. */
export function isSecretEnvName(name: string): boolean {
  return PADDOCK_PREFIX.test(name) || PROVIDER_PREFIX.test(name) || hasSecretSegments(name)
}

/**
 * A copy of `env` without credentials and Paddock's own variables; undefined values are dropped.
 * `namePatterns: false` skips rule 5 (names that look like credentials): an MCP server gets the
 * user's tokens (a GitHub server needs `GITHUB_TOKEN`), never Paddock's keys or secrets.
 */
export function sanitizedEnv(
  env: Record<string, string | undefined> = process.env,
  held: HeldSecrets = {},
  options: { namePatterns?: boolean } = {},
): Record<string, string> {
  const namePatterns = options.namePatterns ?? true
  const upper = (names: Iterable<string> | undefined): Set<string> =>
    new Set([...(names ?? [])].map((n) => n.toUpperCase()))
  const keyNames = upper(held.keyNames)
  const passEnv = upper(held.passEnv)
  const values = new Set([...(held.values ?? [])].filter((v) => v.length >= MIN_SECRET_VALUE_CHARS))
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue
    const key = name.toUpperCase()
    if (keyNames.has(key) || values.has(value) || PADDOCK_PREFIX.test(name)) continue
    if (namePatterns && !passEnv.has(key) && isSecretEnvName(name)) continue
    out[name] = value
  }
  return out
}
