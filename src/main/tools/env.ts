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
 * 5. names that look like credentials are removed: those ending in `_API_KEY`, `_APIKEY`, `_TOKEN`,
 *    `_ACCESS_KEY`, `_PRIVATE_KEY` or `_CREDENTIALS`; those holding `_SECRET` (or starting with it)
 *    (`MY_SECRET`, `CLIENT_SECRET_ID`, `SECRET_KEY`) or `PASSWORD` / `PASSWD` anywhere; every
 *    variable of a model provider's namespace, whatever its suffix (`OPENAI_*`, `ANTHROPIC_*`,
 *    `OPENROUTER_*`, `DEEPSEEK_*`, `GEMINI_*`, `MISTRAL_*`, `GROQ_*`, `XAI_*`, `TOGETHER_*`,
 *    `FIREWORKS_*`, `COHERE_*`, `PERPLEXITY_*`, `AZURE_OPENAI_*`: base URLs and org ids say which
 *    account the host uses); and a few credential names without a telling suffix
 *    (`GOOGLE_API_KEY`, `AWS_SESSION_TOKEN`, `GOOGLE_APPLICATION_CREDENTIALS`, `HF_TOKEN`,
 *    `HUGGING_FACE_HUB_TOKEN`).
 * Everything else (PATH, HOME, LANG, SSH_AUTH_SOCK, ...) passes through unchanged.
 */

const SECRET_SUFFIX = /(_API_KEY|_APIKEY|_TOKEN|_ACCESS_KEY|_PRIVATE_KEY|_CREDENTIALS)$/i

const SECRET_WORD = /(^|_)SECRET|PASSWORD|PASSWD/i

const PROVIDER_PREFIX =
  /^(OPENAI_|ANTHROPIC_|OPENROUTER_|DEEPSEEK_|GEMINI_|MISTRAL_|GROQ_|XAI_|TOGETHER_|FIREWORKS_|COHERE_|PERPLEXITY_|AZURE_OPENAI_)/i

const PADDOCK_PREFIX = /^PADDOCK_/i

const SECRET_NAMES = new Set([
  'GOOGLE_API_KEY',
  'AWS_SESSION_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
])

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
  return (
    PADDOCK_PREFIX.test(name) ||
    SECRET_SUFFIX.test(name) ||
    SECRET_WORD.test(name) ||
    PROVIDER_PREFIX.test(name) ||
    SECRET_NAMES.has(name.toUpperCase())
  )
}

/** A copy of `env` without credentials and Paddock's own variables; undefined values are dropped. */
export function sanitizedEnv(
  env: Record<string, string | undefined> = process.env,
  held: HeldSecrets = {},
): Record<string, string> {
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
    if (!passEnv.has(key) && isSecretEnvName(name)) continue
    out[name] = value
  }
  return out
}
