import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * A YAML file as plain data, read with js-yaml: a dependency of electron-builder and
 * electron-updater (which reads its update files with it), so it is always installed with them.
 */
export function readYaml(path: string): unknown {
  const require = createRequire(import.meta.url)
  const yaml = require('js-yaml') as { load(text: string): unknown }
  return yaml.load(readFileSync(path, 'utf8'))
}
