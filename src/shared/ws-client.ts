import type { Method, MethodInput, MethodOutput } from './contract'
import { MAX_REQUEST_BYTES } from './contract/host'
import type { Cursors, PaddockEvent } from './events'
import type { HostFrame } from './wire'
import type { ConnectionStatus, Disposer, PaddockClient } from './client'
import { CursorTracker, unwrapOutcome } from './client'
import { ContractError } from './errors'
import { requestTooLargeMessage, utf8Length } from './request-size'

/** The subset of the WebSocket API the client needs; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
}

export interface WsClientOptions {
  /** Opens a new socket to the host. Called again on every reconnect. */
  connect: () => SocketLike
  /** Delay before reconnect attempt n (1-based), in ms. */
  backoff?: (attempt: number) => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

const OPEN = 1

/** Timers exist in every host (browser, Node, Electron) but in no lib this layer may type against. */
const timers = globalThis as unknown as {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (error: Error) => void
  /** Whether the frame reached a socket; unsent calls wait for the next connection instead. */
  sent: boolean
  frame: string
}

interface Subscription {
  tracker: CursorTracker
  onEvent: (event: PaddockEvent) => void
  onReplayed?: () => void
}

/**
 * Contract client over a WebSocket that reconnects with backoff and resubscribes from the last seq it
 * delivered, so a dropped socket costs latency, never events. Calls in flight when the socket drops
 * fail with `io_error` (they may or may not have been applied; the events tell).
 */
export class WsClient implements PaddockClient {
  private socket: SocketLike | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private subscription: Subscription | null = null
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>()
  private status: ConnectionStatus = 'connecting'
  private attempt = 0
  private closed = false
  private timer: unknown = null

  constructor(private readonly options: WsClientOptions) {
    this.open()
  }

  call<M extends Method>(method: M, params: MethodInput<M>): Promise<MethodOutput<M>> {
    if (this.closed) return Promise.reject(new ContractError('io_error', 'client is closed'))
    const id = this.nextId++
    const frame = JSON.stringify({ kind: 'call', id, method, params })
    // The host would refuse it; a frame past its socket's limit would even drop the connection.
    const bytes = utf8Length(frame)
    if (bytes > MAX_REQUEST_BYTES) {
      return Promise.reject(
        new ContractError('payload_too_large', requestTooLargeMessage(method, bytes)),
      )
    }
    return new Promise<MethodOutput<M>>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, sent: false, frame }
      this.pending.set(id, p)
      if (this.socket?.readyState === OPEN) {
        this.socket.send(frame)
        p.sent = true
      }
    })
  }

  subscribe(
    since: Cursors,
    onEvent: (event: PaddockEvent) => void,
    onReplayed?: () => void,
  ): Disposer {
    if (this.subscription) throw new Error('WsClient supports one subscription at a time')
    const sub: Subscription = { tracker: new CursorTracker(since), onEvent, onReplayed }
    this.subscription = sub
    if (this.socket?.readyState === OPEN) this.sendSubscribe(sub)
    return () => {
      if (this.subscription === sub) this.subscription = null
    }
  }

  onStatus(listener: (status: ConnectionStatus) => void): Disposer {
    this.statusListeners.add(listener)
    listener(this.status)
    return () => this.statusListeners.delete(listener)
  }

  /** Drop the current socket as if the network failed; the client reconnects by itself. */
  dropConnection(): void {
    this.socket?.close(4000, 'dropped by client')
  }

  close(): void {
    this.closed = true
    if (this.timer !== null) (this.options.clearTimer ?? timers.clearTimeout)(this.timer)
    this.socket?.close(1000, 'client closed')
    this.failPending('client is closed')
    this.setStatus('closed')
  }

  private open(): void {
    const socket = this.options.connect()
    this.socket = socket
    socket.onopen = () => {
      if (this.socket !== socket) return
      this.attempt = 0
      this.setStatus('open')
      if (this.subscription) this.sendSubscribe(this.subscription)
      for (const p of this.pending.values()) {
        if (p.sent) continue
        socket.send(p.frame)
        p.sent = true
      }
    }
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return
      this.receive(ev.data)
    }
    socket.onerror = () => {
      // A close event always follows; reconnect is handled there.
    }
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      this.failPending('connection to the Paddock host was lost', true)
      if (this.closed) return
      this.setStatus('reconnecting')
      this.attempt += 1
      const delay = (this.options.backoff ?? defaultBackoff)(this.attempt)
      this.timer = (this.options.setTimer ?? timers.setTimeout)(() => {
        this.timer = null
        if (!this.closed) this.open()
      }, delay)
    }
  }

  private sendSubscribe(sub: Subscription): void {
    this.socket?.send(JSON.stringify({ kind: 'subscribe', since: sub.tracker.snapshot() }))
  }

  private receive(data: unknown): void {
    let frame: HostFrame
    try {
      frame = JSON.parse(String(data)) as HostFrame
    } catch {
      return
    }
    switch (frame.kind) {
      case 'result': {
        const p = this.pending.get(frame.id)
        if (!p) return
        this.pending.delete(frame.id)
        try {
          p.resolve(unwrapOutcome(frame))
        } catch (err) {
          p.reject(err as Error)
        }
        return
      }
      case 'event': {
        const sub = this.subscription
        const event = frame.event as PaddockEvent
        if (sub && sub.tracker.accept(event)) sub.onEvent(event)
        return
      }
      case 'replayed':
        this.subscription?.onReplayed?.()
        return
      case 'error':
        return
    }
  }

  private failPending(message: string, sentOnly = false): void {
    for (const [id, p] of this.pending) {
      if (sentOnly && !p.sent) continue
      this.pending.delete(id)
      p.reject(new ContractError('io_error', message))
    }
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status
    for (const l of this.statusListeners) l(status)
  }
}

function defaultBackoff(attempt: number): number {
  return Math.min(5000, 100 * 2 ** Math.min(attempt - 1, 6))
}
