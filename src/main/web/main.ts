import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ContractError } from '../../shared/errors'
import { resolveDataDir } from '../core/data-dir'
import { createFileLogger } from '../core/logger'
import { createEngine } from '../host/engine'
import { modelFromEnv } from '../providers/model-from-env'
import { loadCookieSecret } from './cookie-secret'
import { startWebHost } from './server'

const USAGE = `Usage: npm run web -- [--port N] [--data-dir DIR] [--workspace DIR]

  --port N          port on 127.0.0.1 (default 4477; 0 picks a free port)
  --data-dir DIR    where Paddock keeps its data (default: $PADDOCK_DATA_DIR or the app data folder)
  --workspace DIR   open this folder as a workspace at start
`

/** Entry of the web host: the engine on 127.0.0.1 behind a token, serving the built renderer. */
export async function runWebHost(argv: string[]): Promise<void> {
  let args
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        workspace: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values
  } catch (err) {
    fail(`${(err as Error).message}\n\n${USAGE}`)
  }
  if (args.help) {
    process.stdout.write(USAGE)
    return
  }
  const port = args.port === undefined ? 4477 : Number(args.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be 0–65535, not "${args.port}".`)

  const here = dirname(fileURLToPath(import.meta.url))
  const rendererDir = resolve(here, '../renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    fail(`The renderer is not built (no ${rendererDir}/index.html). Run "npm run build" first.`)
  }
  const dataDir = resolveDataDir({ flag: args['data-dir'] })
  const logger = createFileLogger(dataDir, 'web-host')

  let engine
  try {
    engine = createEngine({
      dataDir,
      kind: 'web',
      logger,
      watch: true,
      model: (settings) => modelFromEnv(process.env, settings.network()),
    })
  } catch (err) {
    fail(describe(err))
  }
  if (args.workspace) {
    const outcome = await engine.call(
      'workspaces.open',
      { path: resolve(args.workspace) },
      {
        transport: 'cli-args',
      },
    )
    if (!outcome.ok) {
      engine.close()
      fail(`Cannot open workspace: ${outcome.error.message}`)
    }
  }
  let host
  const start = (p: number): ReturnType<typeof startWebHost> =>
    startWebHost({ engine, logger, rendererDir, port: p, cookieSecret: loadCookieSecret(dataDir) })
  try {
    try {
      host = await start(port)
    } catch (err) {
      // The default port is a convenience: when it is taken, any free port will do.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || args.port !== undefined) throw err
      host = await start(0)
    }
  } catch (err) {
    engine.close()
    const code = (err as NodeJS.ErrnoException).code
    fail(
      code === 'EADDRINUSE'
        ? `Port ${port} is in use; pass --port 0 for a free one.`
        : describe(err),
    )
  }
  logger.log('info', 'web host started', { port: host.port, dataDir })
  process.stdout.write(`Data folder: ${dataDir} (another: --data-dir DIR or PADDOCK_DATA_DIR)\n`)
  process.stdout.write(`Paddock web host: ${host.url}\n`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.log('info', 'web host stopping', { signal })
    void Promise.all([host.close(), engine.drain()]).finally(() => {
      engine.close()
      process.exit(0)
    })
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

function describe(err: unknown): string {
  if (err instanceof ContractError) return err.message
  return err instanceof Error ? err.message : String(err)
}

function fail(message: string): never {
  process.stderr.write(`paddock web: ${message}\n`)
  process.exit(1)
}
