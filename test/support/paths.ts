import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BUILT_WEB_ENTRY = join(REPO_ROOT, 'out', 'main', 'web.js')
export const BIN_PADDOCK = join(REPO_ROOT, 'bin', 'paddock.mjs')
export const TSX_LOADER = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')

/** Integration tests run the built hosts; `npm test` builds before running them. */
export function requireBuild(): void {
  if (!existsSync(BUILT_WEB_ENTRY)) {
    throw new Error(
      `${BUILT_WEB_ENTRY} is missing: run "npm run build" before the integration tests.`,
    )
  }
}
