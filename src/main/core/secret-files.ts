/**
 * File names that hold secrets: environment files (and direnv's `.envrc`), private keys and
 * certificates' keys, package manager, git and database credentials, Terraform state. Narrow on purpose: `id_utils.py`, `credentials.ts` or
 * `keys.js` are ordinary source. The policy asks before a tool touches such a file, and the
 * checkpoint store never copies one.
 */
const SECRET_FILE_NAME =
  /^(\.env(\..*)?|.*\.(pem|key|p12|pfx|keystore|jks)|id_(rsa|dsa|ecdsa|ed25519)([._-].*)?|\.envrc|\.git-credentials|.*\.tfstate(\.backup)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|credentials(\.json)?|secrets?\.(json|ya?ml|toml))$/i

/** Whether a file's name (its last path segment) says it holds secrets. */
export function isSecretFileName(name: string): boolean {
  return SECRET_FILE_NAME.test(name)
}
