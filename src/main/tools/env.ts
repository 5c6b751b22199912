/**
 * The environment an agent's processes get: the host's environment minus credentials.
 *
 * The rule (applied to each variable name, case-insensitively):
 * - names ending in `_API_KEY`, `_APIKEY`, `_TOKEN`, `_SECRET`, `_SECRET_KEY`, `_ACCESS_KEY`,
 *   `_PRIVATE_KEY`, `_PASSWORD`, `_PASSWD` or `_CREDENTIALS` are removed (OPENAI_API_KEY,
 *   GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, NPM_TOKEN, DB_PASSWORD, ...);
 * - every variable of a model provider's namespace is removed, whatever its suffix: `OPENAI_*`,
 *   `ANTHROPIC_*`, `OPENROUTER_*`, `DEEPSEEK_*`, `GEMINI_*`, `MISTRAL_*`, `GROQ_*`, `XAI_*`,
 *   `TOGETHER_*`, `FIREWORKS_*`, `COHERE_*`, `PERPLEXITY_*`, `AZURE_OPENAI_*` (base URLs and org ids
 *   included: they say which account the host uses, and the agent has no use for them);
 * - every `PADDOCK_*` variable is removed: they configure the host (data dir, web token, secrets) and
 *   the data dir holds `secrets.json`;
 * - a few credential names without a telling suffix: `GOOGLE_API_KEY`, `AWS_SECRET_ACCESS_KEY`,
 *   `AWS_SESSION_TOKEN`, `GOOGLE_APPLICATION_CREDENTIALS`, `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`.
 * Everything else (PATH, HOME, LANG, SSH_AUTH_SOCK, ...) passes through unchanged.
 */

const SECRET_SUFFIX =
  /(_API_KEY|_APIKEY|_TOKEN|_SECRET|_SECRET_KEY|_ACCESS_KEY|_PRIVATE_KEY|_PASSWORD|_PASSWD|_CREDENTIALS)$/i

const SECRET_PREFIX =
  /^(OPENAI_|ANTHROPIC_|OPENROUTER_|DEEPSEEK_|GEMINI_|MISTRAL_|GROQ_|XAI_|TOGETHER_|FIREWORKS_|COHERE_|PERPLEXITY_|AZURE_OPENAI_|PADDOCK_)/i

const SECRET_NAMES = new Set([
  'GOOGLE_API_KEY',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'HF_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
])

/** Whether a variable of this name is withheld from the agent's processes (see the rule above). */
export function isSecretEnvName(name: string): boolean {
  return (
    SECRET_SUFFIX.test(name) || SECRET_PREFIX.test(name) || SECRET_NAMES.has(name.toUpperCase())
  )
}

/** A copy of `env` without credentials and Paddock's own variables; undefined values are dropped. */
export function sanitizedEnv(
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || isSecretEnvName(name)) continue
    out[name] = value
  }
  return out
}
