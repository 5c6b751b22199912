import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { FuzzIds } from './contract-fuzz'
import type { EngineFixture } from './engine'
import { engineFixture } from './engine'

/** What a contract fuzz runs against: an engine with a workspace and a session, and what leaked. */
export interface FuzzWorld {
  fx: EngineFixture
  ids: FuzzIds
  /** Promise rejections nobody handled while the file ran. */
  unhandled: unknown[]
}

/** The fuzz's engine for the whole file: made before its tests, closed after them. */
export function useFuzzWorld(): FuzzWorld {
  const world = { unhandled: [] } as unknown as FuzzWorld
  const onUnhandled = (reason: unknown): void => {
    world.unhandled.push(reason)
  }
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    world.fx = engineFixture()
    const folder = join(world.fx.home, 'project')
    mkdirSync(folder)
    writeFileSync(join(folder, 'a.txt'), 'hello\n')
    const ws = await world.fx.call('workspaces.open', { path: folder })
    const s = await world.fx.call('sessions.create', { workspaceId: ws.id })
    world.ids = { workspaceId: ws.id, sessionId: s.id, folder }
  })
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled)
    world.fx.cleanup()
  })
  return world
}
