/**
 * File names that hold secrets: `.env` and its variants, keys and certificates (`*.pem`, `*.key`,
 * `*.p12`, …), SSH keys (`id_rsa`, `id_ed25519`, …), package-manager and database credentials
 * (`.npmrc`, `.pypirc`, `.netrc`, `.pgpass`), an extensionless `credentials` (or
 * `credentials.json`) and `secret(s).json|yaml|toml`. Narrow on purpose: `id_utils.py` and
 * `credentials.ts` are ordinary source.
 */
const SECRET_FILE_NAME =
  /^(\.env(\..*)?|.*\.(pem|key|p12|pfx|keystore|jks)|id_(rsa|dsa|ecdsa|ed25519)([._-].*)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|credentials(\.json)?|secrets?\.(json|ya?ml|toml))$/i

/** Whether a file's name (its last path segment) says it holds secrets. */
export function isSecretFileName(name: string): boolean {
  return SECRET_FILE_NAME.test(name)
}
