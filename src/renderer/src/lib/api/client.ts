import type { PaddockClient } from '../../../../shared/client'
import type { SocketLike } from '../../../../shared/ws-client'
import { WsClient } from '../../../../shared/ws-client'
import { BridgeClient } from './bridge-client'

let client: PaddockClient | null = null

/**
 * The one contract client of this window: the preload bridge inside Electron, otherwise a
 * reconnecting WebSocket to the web host that served the page (authenticated by its cookie).
 */
export function getClient(): PaddockClient {
  client ??= createClient()
  return client
}

function createClient(): PaddockClient {
  const bridge = window.paddockBridge
  if (bridge) return new BridgeClient(bridge)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  return new WsClient({
    // The browser's WebSocket fits SocketLike at runtime; its handler types are only narrower.
    connect: () => new WebSocket(`${scheme}://${location.host}/ws`) as unknown as SocketLike,
  })
}
