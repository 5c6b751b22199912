import { Worker } from 'node:worker_threads'
import { availableParallelism } from 'node:os'
import type { Oid } from '../git/git-object'

/** Work done off the main thread: a blob's id and its content deflated for a pack entry. */
export interface HashedBlob {
  oid: Oid
  deflated: Buffer
}

// Evaluated as a CommonJS script: no file to locate, which keeps it working from sources (tsx,
// vitest), from the electron-vite bundle and from the CLI build alike. A batch travels as one
// buffer plus offsets, both ways, and is transferred rather than copied.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { deflateSync } = require('node:zlib')
parentPort.on('message', (msg) => {
  const data = Buffer.from(msg.data)
  const n = msg.ends.length
  const oids = []
  const parts = []
  const ends = new Float64Array(n)
  let start = 0
  let total = 0
  for (let i = 0; i < n; i++) {
    const buf = data.subarray(start, msg.ends[i])
    start = msg.ends[i]
    const header = Buffer.from('blob ' + buf.length + '\\0', 'latin1')
    oids.push(createHash('sha1').update(header).update(buf).digest('hex'))
    const deflated = deflateSync(buf, { level: 1 })
    parts.push(deflated)
    total += deflated.length
    ends[i] = total
  }
  const out = Buffer.concat(parts, total)
  const copy = new Uint8Array(total)
  copy.set(out)
  parentPort.postMessage({ id: msg.id, oids: oids.join(''), data: copy.buffer, ends }, [copy.buffer, ends.buffer])
})
`

interface Reply {
  id: number
  oids: string
  data: ArrayBuffer
  ends: Float64Array
}

interface Pending {
  resolve: (out: HashedBlob[]) => void
  reject: (err: Error) => void
}

/**
 * A few worker threads that hash blobs and deflate them for a pack, used when a snapshot has much
 * to hash (a cold start, a big checkout) so the main thread keeps serving events. Created on first
 * use; `close()` ends them.
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
      worker.on('message', (msg: Reply) => {
        const p = pending.get(msg.id)
        pending.delete(msg.id)
        const data = Buffer.from(msg.data)
        const out: HashedBlob[] = []
        let start = 0
        for (let k = 0; k < msg.ends.length; k++) {
          const end = msg.ends[k]!
          out.push({
            oid: msg.oids.slice(k * 40, k * 40 + 40),
            deflated: data.subarray(start, end),
          })
          start = end
        }
        p?.resolve(out)
      })
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
    // Contiguous slices, one per worker, balanced by bytes.
    const total = blobs.reduce((s, b) => s + b.length + 64, 0)
    const share = total / this.workers.length
    const slices: Array<[number, number]> = []
    let from = 0
    let acc = 0
    for (let i = 0; i < blobs.length; i++) {
      acc += blobs[i]!.length + 64
      if (acc >= share * (slices.length + 1) && slices.length < this.workers.length - 1) {
        slices.push([from, i + 1])
        from = i + 1
      }
    }
    if (from < blobs.length) slices.push([from, blobs.length])
    const results = await Promise.all(
      slices.map(([a, b], w) => {
        const items = blobs.slice(a, b)
        const size = items.reduce((s, x) => s + x.length, 0)
        const data = new Uint8Array(size)
        const ends = new Float64Array(items.length)
        let at = 0
        items.forEach((x, k) => {
          data.set(x, at)
          at += x.length
          ends[k] = at
        })
        const entry = this.workers[w]!
        const id = this.nextId++
        return new Promise<HashedBlob[]>((resolve, reject) => {
          entry.pending.set(id, { resolve, reject })
          entry.worker.ref()
          entry.worker.postMessage({ id, data: data.buffer, ends }, [data.buffer])
        }).finally(() => {
          if (entry.pending.size === 0) entry.worker.unref()
        })
      }),
    )
    return results.flat()
  }

  async close(): Promise<void> {
    const workers = this.workers
    this.workers = []
    await Promise.all(workers.map((w) => w.worker.terminate()))
  }
}
