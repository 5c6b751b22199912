import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import type { Oid } from './git-object'

/** Work done off the main thread: a blob's id and its content deflated for a pack entry. */
export interface HashedBlob {
  oid: Oid
  deflated: Buffer
}

// Evaluated as a CommonJS script: no file to locate, which keeps it working from sources (tsx,
// vitest), from the electron-vite bundle and from the CLI build alike.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { deflateSync } = require('node:zlib')
parentPort.on('message', (msg) => {
  const out = msg.items.map((data) => {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    const header = Buffer.from('blob ' + buf.length + '\\0', 'latin1')
    const oid = createHash('sha1').update(header).update(buf).digest('hex')
    const deflated = deflateSync(buf, { level: 1 })
    return { oid, deflated }
  })
  parentPort.postMessage({ id: msg.id, out })
})
`

interface Pending {
  resolve: (out: HashedBlob[]) => void
  reject: (err: Error) => void
}

/**
 * A few worker threads that hash and deflate blobs, used when a snapshot has much to hash (a cold
 * start, a big checkout) so the main thread keeps serving events. Created on first use; `close()`
 * ends them.
 */
export class HashPool {
  private workers: Array<{ worker: Worker; pending: Map<number, Pending> }> = []
  private nextId = 0

  constructor(private readonly size = Math.max(1, Math.min(3, availableParallelism() - 1))) {}

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true })
      worker.unref()
      const pending = new Map<number, Pending>()
      worker.on(
        'message',
        (msg: { id: number; out: Array<{ oid: string; deflated: Uint8Array }> }) => {
          const p = pending.get(msg.id)
          pending.delete(msg.id)
          p?.resolve(
            msg.out.map((o) => ({
              oid: o.oid,
              deflated: Buffer.from(
                o.deflated.buffer,
                o.deflated.byteOffset,
                o.deflated.byteLength,
              ),
            })),
          )
        },
      )
      const fail = (err: Error): void => {
        for (const p of pending.values()) p.reject(err)
        pending.clear()
        this.workers = this.workers.filter((w) => w.worker !== worker)
      }
      worker.on('error', fail)
      worker.on('exit', (code) => fail(new Error(`hash worker exited (${code})`)))
      this.workers.push({ worker, pending })
    }
  }

  /** Hash blobs and deflate them for a pack; results in input order. */
  async hash(blobs: Buffer[]): Promise<HashedBlob[]> {
    if (blobs.length === 0) return []
    if (this.workers.length === 0) this.start()
    // Split into one batch per worker, balanced by bytes.
    const batches: Buffer[][] = this.workers.map(() => [])
    const bytes = this.workers.map(() => 0)
    const where: Array<[number, number]> = []
    for (const blob of blobs) {
      let w = 0
      for (let i = 1; i < bytes.length; i++) if (bytes[i]! < bytes[w]!) w = i
      where.push([w, batches[w]!.length])
      batches[w]!.push(blob)
      bytes[w]! += blob.length + 256
    }
    const results = await Promise.all(
      batches.map((items, w) => {
        if (items.length === 0) return Promise.resolve([] as HashedBlob[])
        const entry = this.workers[w]!
        const id = this.nextId++
        return new Promise<HashedBlob[]>((resolve, reject) => {
          entry.pending.set(id, { resolve, reject })
          entry.worker.ref()
          entry.worker.postMessage({ id, items })
        }).finally(() => {
          if (entry.pending.size === 0) entry.worker.unref()
        })
      }),
    )
    return where.map(([w, i]) => results[w]![i]!)
  }

  async close(): Promise<void> {
    const workers = this.workers
    this.workers = []
    await Promise.all(workers.map((w) => w.worker.terminate()))
  }
}
