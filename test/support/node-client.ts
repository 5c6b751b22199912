import WebSocket from 'ws'
import { WsClient } from '../../src/shared/ws-client'
import type { SocketLike } from '../../src/shared/ws-client'

/** The same contract client the browser uses, over the `ws` package, authenticated by token. */
export function connectClient(host: { port: number; token: string; origin: string }): WsClient {
  return new WsClient({
    connect: () =>
      new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
        origin: host.origin,
      }) as unknown as SocketLike,
    backoff: () => 20,
  })
}
