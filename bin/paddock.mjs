#!/usr/bin/env node
// The installed `paddock` command: runs the CLI built by `npm run build`.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write(
    'paddock: the CLI is not built yet. Run "npm run build" in the Paddock folder.\n',
  )
  process.exit(1)
}
await import(pathToFileURL(cli).href)
