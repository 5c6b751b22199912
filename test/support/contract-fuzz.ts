import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { z } from 'zod'
import type { Method } from '../../src/shared/contract'
import { METHODS, contract } from '../../src/shared/contract'
import { ERROR_CODES } from '../../src/shared/errors'
import type { EngineFixture } from './engine'

/**
 * The contract fuzz: random and boundary inputs for every method, through the dispatcher exactly
 * as a transport hands them over. Each answer must be a result or a typed error (never `internal`,
 * never a throw); a rejected call must leave the database and the files as they were.
 * Seeded (mulberry32): the same seed gives the same inputs.
 */

export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FuzzIds {
  workspaceId: string
  sessionId: string
  folder: string
}

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v }
  return v
}

/** Values of every kind a transport could deliver, boundary ones included. */
function boundaryValues(ids: FuzzIds): unknown[] {
  return [
    undefined,
    null,
    true,
    false,
    0,
    -1,
    -0,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53 + 2,
    -(2 ** 31),
    '',
    ' ',
    '\u0000',
    'x'.repeat(10_000),
    'x'.repeat(300 * 1024),
    '../../../../etc/passwd',
    '/',
    'C:\\Windows',
    '%00',
    '\u202e\ud800',
    'constructor',
    '__proto__',
    ids.workspaceId,
    ids.sessionId,
    ids.folder,
    [],
    [1, 'a', null],
    {},
    Object.create(null) as object,
    JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown,
    { constructor: { prototype: { polluted: 'yes' } } },
    deep(200, 'bottom'),
    deep(2000, 1),
    new Array(5000).fill(0),
  ]
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!
}

/** The keys of a method's input object (unwrapping pipes, one option of a union), or none. */
function inputKeys(method: Method, random: () => number): string[] {
  let schema: unknown = contract[method].input
  for (let i = 0; i < 5; i++) {
    if (schema instanceof z.ZodObject) return Object.keys(schema.shape as object)
    const def = (
      schema as {
        def?: { in?: unknown; innerType?: unknown; schema?: unknown; options?: unknown[] }
      }
    ).def
    schema = def?.options ? pick(random, def.options) : (def?.in ?? def?.innerType ?? def?.schema)
    if (!schema) break
  }
  return []
}

/** One input for `method`: a generic value, or an object of its own keys with wrong values. */
export function fuzzInput(method: Method, random: () => number, ids: FuzzIds): unknown {
  const values = boundaryValues(ids)
  const keys = inputKeys(method, random)
  if (keys.length === 0 || random() < 0.2) return pick(random, values)
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const r = random()
    if (r < 0.25) continue // missing
    out[key] = pick(random, values)
  }
  if (random() < 0.3) out[pick(random, ['extra', 'unknownField', 'constructor'])] = 1
  if (random() < 0.2)
    Object.defineProperty(out, '__proto__', { value: { polluted: 'yes' }, enumerable: true })
  return out
}

/** Every row of every table (but leases, which a timer refreshes), and every file's hash. */
export function snapshot(fx: EngineFixture, folders: string[]): string {
  const db = fx.engine.db
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string
    }>
  )
    .map((t) => t.name)
    .filter((t) => t !== 'leases' && !t.startsWith('sqlite_'))
  const hash = createHash('sha256')
  for (const t of tables)
    hash.update(`${t}\n${JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())}\n`)
  for (const folder of folders) {
    for (const file of filesUnder(folder)) {
      if (/[/\\]logs[/\\]|\.db(-wal|-shm)?$|\.sqlite/.test(file)) continue
      hash.update(`${relative(folder, file)}\n`)
      hash.update(readFileSync(file))
    }
  }
  return hash.digest('hex')
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      const st = statSync(path, { throwIfNoEntry: false })
      if (!st) return []
      return st.isDirectory() ? filesUnder(path) : [path]
    })
}

export interface FuzzFinding {
  method: Method
  input: string
  problem: string
}

/** Run `perMethod` inputs for every method; returns what went wrong (nothing, when all is well). */
export async function fuzzContract(
  fx: EngineFixture,
  ids: FuzzIds,
  opts: { seed: number; perMethod: number; deadline?: number },
): Promise<{ findings: FuzzFinding[]; calls: number; rejected: number }> {
  const random = seeded(opts.seed)
  const findings: FuzzFinding[] = []
  const folders = [fx.dataDir, ids.folder]
  let calls = 0
  let rejected = 0
  for (let round = 0; round < opts.perMethod; round++) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break
    for (const method of METHODS) {
      const input = fuzzInput(method, random, ids)
      const shown = describeInput(input)
      const before = snapshot(fx, folders)
      let outcome
      try {
        outcome = await fx.engine.call(method, input, { transport: 'fuzz' })
      } catch (err) {
        findings.push({ method, input: shown, problem: `threw ${String(err)}` })
        continue
      }
      calls++
      if (outcome.ok) continue
      rejected++
      const { code, message } = outcome.error
      if (!(ERROR_CODES as readonly string[]).includes(code) || typeof message !== 'string') {
        findings.push({
          method,
          input: shown,
          problem: `untyped error ${JSON.stringify(outcome.error)}`,
        })
      } else if (code === 'internal') {
        findings.push({ method, input: shown, problem: `internal: ${message.slice(0, 200)}` })
      }
      if (snapshot(fx, folders) !== before) {
        findings.push({ method, input: shown, problem: `rejected (${code}) but changed the state` })
      }
    }
  }
  return { findings, calls, rejected }
}

function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(input) ?? String(input)
    return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text
  } catch {
    return String(input)
  }
}
