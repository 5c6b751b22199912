import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Method, MethodOutput } from '../../src/shared/contract'
import { createMemoryLogger } from '../../src/main/core/logger'
import type { Engine, EngineOptions } from '../../src/main/host/engine'
import { createEngine } from '../../src/main/host/engine'
import { tempDir } from './temp'

export interface EngineFixture {
  engine: Engine
  logger: ReturnType<typeof createMemoryLogger>
  dataDir: string
  home: string
  root: string
  /** Call and unwrap; throws with the error code on failure. */
  call<M extends Method>(method: M, params: unknown): Promise<MethodOutput<M>>
  cleanup(): void
}

/** An engine on a temp data dir with a temp home folder (never the real one). */
export function engineFixture(
  kind: 'web' | 'cli' | 'electron' = 'web',
  extra: Partial<EngineOptions> = {},
  reuse?: { root: string },
): EngineFixture {
  const tmp = reuse ? { path: reuse.root, cleanup: () => {} } : tempDir()
  const dataDir = join(tmp.path, 'data')
  const home = join(tmp.path, 'home')
  mkdirSync(home, { recursive: true })
  const logger = createMemoryLogger()
  const engine = createEngine({ dataDir, kind, logger, home, ...extra })
  return {
    engine,
    logger,
    dataDir,
    home,
    root: tmp.path,
    async call(method, params) {
      const outcome = await engine.call(method, params, { transport: 'test' })
      if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error)
      return outcome.result as never
    },
    cleanup() {
      engine.close()
      tmp.cleanup()
    },
  }
}
