import { describe, expect, it } from 'vitest'
import { contextBudget } from '../../src/main/context/budget'
import {
  chooseCut,
  entryTokens,
  fileLists,
  isCutPoint,
  summaryChunks,
  summaryRequest,
} from '../../src/main/context/compaction'
import { conversationBranch } from '../../src/main/context/conversation-branch'
import { deriveMessages } from '../../src/main/context/history'
import { pruneCandidates } from '../../src/main/context/pruning'
import { tokensInUse } from '../../src/main/context/tokens-in-use'
import {
  budgetFor,
  keepRecentFor,
  minPruneFor,
  switchedSinceLastCall,
} from '../../src/main/engine/compactor'
import type { Compaction } from '../../src/shared/entries'
import type { Entry } from '../../src/shared/model'
import { shortTokens } from '../../src/shared/tokens'

let seq = 0
function entry(type: Entry['type'], payload: unknown): Entry {
  seq += 1
  return { id: `e${seq}`, parentId: null, sessionId: 's', type, payload, createdAt: seq }
}
const usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
const prompt = (text: string): Entry => entry('user_message', { text, kind: 'prompt' })
function assistant(
  content: string,
  calls: Array<{ id: string; name: string; args: object }> = [],
): Entry {
  return entry('assistant_message', {
    content,
    reasoning: '',
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.stringify(c.args) })),
    finishReason: calls.length ? 'tool_calls' : 'stop',
    usage,
    model: 'm',
  })
}
const result = (id: string, name: string, content: string, isError = false): Entry =>
  entry('tool_result', { toolCallId: id, toolName: name, content, isError, durationMs: 1 })

/** A deterministic random source (mulberry32): the property tests are repeatable. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A random session: prompts, steps with 1–3 tool calls and their results, steers, checkpoints. */
function randomBranch(rand: () => number, steps: number): Entry[] {
  const branch: Entry[] = [entry('context', { system: 's', tools: [], model: 'm' })]
  let call = 0
  for (let i = 0; i < steps; i++) {
    const r = rand()
    if (r < 0.15 || branch.length === 1) {
      branch.push(prompt(`prompt ${i} ${'p'.repeat(Math.floor(rand() * 400))}`))
    } else if (r < 0.2) {
      branch.push(entry('user_message', { text: `steer ${i}`, kind: 'steer' }))
    } else if (r < 0.8) {
      const n = 1 + Math.floor(rand() * 3)
      const calls = Array.from({ length: n }, () => ({
        id: `c${++call}`,
        name: 'read',
        args: { path: `f${call}.ts` },
      }))
      branch.push(assistant(`step ${i}`, calls))
      for (const c of calls)
        branch.push(result(c.id, 'read', 'r'.repeat(Math.floor(rand() * 6_000))))
      if (rand() < 0.3) branch.push(entry('checkpoint', { taken: false }))
    } else {
      branch.push(assistant(`answer ${i} ${'a'.repeat(Math.floor(rand() * 800))}`))
    }
  }
  return branch
}

function suffixTokens(branch: Entry[], from: number): number {
  return branch.slice(from).reduce((n, e) => n + entryTokens(e), 0)
}

describe('cut points (property tests over random sessions)', () => {
  for (let seed = 1; seed <= 200; seed++) {
    it(`seed ${seed}: never between a call and its result; the kept part is as large as fits`, () => {
      const rand = random(seed)
      const branch = randomBranch(rand, 20 + Math.floor(rand() * 120))
      const from = Math.floor(rand() * (branch.length / 2))
      const keep = Math.floor(rand() * 20_000)
      const cut = chooseCut(branch, from, keep)
      if (cut === null) {
        // Only when there is no cut point after `from` at all.
        expect(branch.slice(from + 1).some(isCutPoint)).toBe(false)
        return
      }
      expect(cut).toBeGreaterThan(from)
      expect(isCutPoint(branch[cut]!)).toBe(true)
      expect(branch[cut]!.type).not.toBe('tool_result')
      const kept = suffixTokens(branch, cut)
      const lastPoint = branch.findLastIndex((e, i) => i > from && isCutPoint(e))
      if (kept > keep) {
        // Larger than asked only when the newest step alone is.
        expect(cut).toBe(lastPoint)
      } else {
        // No earlier cut point would also fit.
        for (let i = from + 1; i < cut; i++) {
          if (isCutPoint(branch[i]!)) expect(suffixTokens(branch, i)).toBeGreaterThan(keep)
        }
      }
      // What is kept derives to a valid conversation: every call answered, in order.
      const messages = deriveMessages(branch.slice(cut))
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!
        if (m.role === 'assistant' && m.toolCalls?.length) {
          const results = messages.slice(i + 1, i + 1 + m.toolCalls.length)
          expect(results.map((r) => (r.role === 'tool' ? r.toolCallId : null))).toEqual(
            m.toolCalls.map((c) => c.id),
          )
        }
        if (m.role === 'tool') expect(messages[i - 1]?.role).toMatch(/assistant|tool/)
      }
    })
  }
})

function compaction(over: Partial<Compaction>): Compaction {
  return {
    reason: 'threshold',
    summary: '## Goal\nShip it.',
    firstKeptId: null,
    replacedFromId: null,
    replacedCount: 0,
    tokensBefore: 10_000,
    tokensAfter: 1_000,
    filesRead: ['a.ts'],
    filesModified: ['b.ts'],
    model: 'm',
    requests: 1,
    durationMs: 5,
    ...over,
  }
}

describe('the derived conversation after a compaction', () => {
  it('starts with the summary and the file lists, then what was kept, verbatim', () => {
    const p1 = prompt('first')
    const a1 = assistant('did a')
    const p2 = prompt('second')
    const a2 = assistant('working', [{ id: 'x', name: 'read', args: { path: 'b.ts' } }])
    const r2 = result('x', 'read', 'B')
    const branch = [
      p1,
      a1,
      p2,
      a2,
      r2,
      entry('compaction', compaction({ firstKeptId: a2.id, keptPromptId: p2.id })),
    ]
    const messages = deriveMessages(branch)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool'])
    const head = messages[0]!.content
    expect(head).toContain('[Paddock: context summary]')
    expect(head).toContain('## Goal\nShip it.')
    expect(head).toContain(
      'Files read so far (read them again before relying on their content):\n- a.ts',
    )
    expect(head).toContain('Files modified so far:\n- b.ts')
    expect(head).toContain("The user's current request, verbatim:\nsecond")
    expect(head).not.toContain('did a')
  })

  it('joins the summary with a kept prompt that follows it, so roles still alternate', () => {
    const p1 = prompt('first')
    const a1 = assistant('one')
    const p2 = prompt('second')
    const branch = [p1, a1, p2, entry('compaction', compaction({ firstKeptId: p2.id }))]
    const messages = deriveMessages(branch)
    expect(messages).toHaveLength(1)
    expect(messages[0]!.content).toMatch(/context summary[\s\S]*\n\nsecond$/)
  })

  it('only the last compaction counts, and what came after it is sent', () => {
    const branch = [
      prompt('one'),
      entry('compaction', compaction({ summary: 'OLD' })),
      prompt('two'),
      entry('compaction', compaction({ summary: 'NEW' })),
      prompt('three'),
    ]
    const messages = deriveMessages(branch)
    expect(messages).toHaveLength(1)
    expect(messages[0]!.content).toContain('NEW')
    expect(messages[0]!.content).not.toContain('OLD')
    expect(messages[0]!.content).toMatch(/three$/)
  })

  it('a pruned output is a one-line placeholder naming its file', () => {
    const a1 = assistant('', [{ id: 'x', name: 'bash', args: { command: 'npm test' } }])
    const r1 = result('x', 'bash', 'PASS '.repeat(3_000))
    const branch = [
      prompt('run tests'),
      a1,
      r1,
      entry('prune', {
        outputs: [{ entryId: r1.id, bytes: 15_000, file: '/spill/pruned-1.txt' }],
        tokensBefore: 9_000,
        tokensFreed: 3_700,
      }),
    ]
    const tool = deriveMessages(branch).find((m) => m.role === 'tool')!
    expect(tool.content).toBe(
      '[Paddock] Output of bash `npm test` pruned to save context (15 kB); the whole output is in /spill/pruned-1.txt (read it to see it again).',
    )
  })
})

describe('tokens in use after a compaction or a prune', () => {
  it('a compaction after the last response is the base; what follows is estimated on top', () => {
    const reply = entry('assistant_message', {
      content: '',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: { ...usage, inputTokens: 90_000 },
      model: 'm',
    })
    const branch = [
      prompt('x'),
      reply,
      entry('compaction', compaction({ tokensAfter: 4_000 })),
      prompt('y'.repeat(400)),
    ]
    expect(tokensInUse(branch)).toMatchObject({ tokens: 4_100, fromUsage: false })
  })

  it('a prune after the last response takes what it freed off the count', () => {
    const reply = entry('assistant_message', {
      content: '',
      reasoning: '',
      toolCalls: [],
      finishReason: 'stop',
      usage: { ...usage, inputTokens: 20_000 },
      model: 'm',
    })
    const prune = entry('prune', { outputs: [], tokensBefore: 20_000, tokensFreed: 6_000 })
    expect(tokensInUse([prompt('x'), reply, prune]).tokens).toBe(14_000)
  })
})

describe('budgets scale from 8k to 1M', () => {
  const rows = [8_192, 16_384, 32_768, 131_072, 1_048_576].map((w) => {
    const b = budgetFor({ contextWindow: w, maxOutput: 8_192 }, {})
    return [w, b.thresholdTokens, keepRecentFor(b, {}), minPruneFor(b)]
  })
  it('threshold, recent part kept, least prune worth making', () => {
    expect(rows).toEqual([
      [8_192, 5_735, 1_720, 1_000],
      [16_384, 13_517, 4_055, 1_638],
      [32_768, 27_034, 8_110, 3_276],
      [131_072, 116_327, 20_000, 13_107],
      [1_048_576, 1_008_384, 20_000, 20_000],
    ])
  })

  it('the user’s reserve and recent part apply, never past half the window / threshold', () => {
    const b = budgetFor({ contextWindow: 32_768, maxOutput: 8_192 }, { reserveTokens: 30_000 })
    expect(b.reserveTokens).toBe(16_384)
    expect(b.thresholdTokens).toBe(32_768 - 16_384 - b.marginTokens)
    expect(keepRecentFor(b, { keepRecentTokens: 1_000_000 })).toBe(
      Math.floor(b.thresholdTokens / 2),
    )
    expect(keepRecentFor(contextBudget(32_768, 8_192), { keepRecentTokens: 500 })).toBe(500)
  })
})

describe('pruning candidates', () => {
  it('protects the last two prompts’ turns and the newest outputs, oldest first', () => {
    const branch: Entry[] = []
    for (let i = 0; i < 5; i++) {
      branch.push(prompt(`p${i}`))
      branch.push(assistant('', [{ id: `c${i}`, name: 'read', args: { path: `f${i}` } }]))
      branch.push(result(`c${i}`, 'read', 'x'.repeat(8_000)))
    }
    // 2,000 tokens each. Turns 3 and 4 are protected by the turn rule (4,000 tokens of output):
    // protecting 3,000 adds nothing, protecting 5,000 adds turn 2.
    const three = pruneCandidates(branch, 0, 3_000)
    expect(three.candidates.map((c) => c.index)).toEqual([2, 5, 8])
    expect(three.tokens).toBe(3 * (2_000 - 50))
    expect(pruneCandidates(branch, 0, 5_000).candidates.map((c) => c.index)).toEqual([2, 5])
    // From a later start (a compaction kept only turn 3 on): nothing before it is considered.
    expect(pruneCandidates(branch, 6, 0).candidates.map((c) => c.index)).toEqual([8])
  })
})

describe('the file lists', () => {
  it('come from what ran: reads, writes and edits that succeeded, and checkpoints’ files', () => {
    const branch = [
      prompt('go'),
      assistant('', [
        { id: '1', name: 'read', args: { path: 'src/a.ts' } },
        { id: '2', name: 'read', args: { path: '/ws/src/b.ts' } },
        { id: '3', name: 'write', args: { path: 'src/c.ts', content: '' } },
        { id: '4', name: 'read', args: { path: 'missing.ts' } },
        { id: '5', name: 'edit', args: { path: 'src/a.ts' } },
      ]),
      result('1', 'read', 'A'),
      result('2', 'read', 'B'),
      result('3', 'write', 'ok'),
      result('4', 'read', 'not found', true),
      result('5', 'edit', 'ok'),
      entry('checkpoint', {
        taken: true,
        id: 'c'.repeat(40),
        ref: 'r',
        baseline: false,
        files: [{ path: 'gen/out.js', status: 'added', additions: 1, deletions: 0, binary: false }],
        filesTotal: 1,
        additions: 1,
        deletions: 0,
        unprotected: [],
        unprotectedTotal: 0,
        reason: 'turn-end',
        turnId: 'e1',
        anchorId: null,
        durationMs: 1,
      }),
    ]
    expect(fileLists(branch, branch.length, '/ws')).toEqual({
      filesRead: ['src/b.ts'],
      filesModified: ['gen/out.js', 'src/a.ts', 'src/c.ts'],
    })
  })
})

describe('what the summariser is sent', () => {
  it('tool outputs cut to 2,000 characters, chunks within the size asked', () => {
    const branch = [
      prompt('go'),
      assistant('', [{ id: '1', name: 'bash', args: { command: 'ls' } }]),
    ]
    for (let i = 0; i < 30; i++) branch.push(result('1', 'bash', `${i} ${'z'.repeat(10_000)}`))
    const chunks = summaryChunks(branch, 0, branch.length, 12_000)
    expect(chunks.length).toBeGreaterThan(4)
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(12_000)
    expect(chunks[0]).toMatch(/^\[User\]: go\n\n\[Tool call bash\]: \{"command":"ls"\}/)
    expect(chunks.join('')).toContain('characters left out')
  })

  it('asks for the structured sections, updates a previous summary, and names the focus', () => {
    const text = summaryRequest({ conversation: 'C', previous: 'OLD', focus: 'the parser' })
    for (const section of [
      '## Goal',
      '## Constraints and preferences',
      '## Progress',
      '### Done',
      '### In progress',
      '### Blocked',
      '## Key decisions',
      '## Next steps',
      '## Critical context',
    ]) {
      expect(text).toContain(section)
    }
    expect(text).toContain('<previous-summary>\nOLD\n</previous-summary>')
    expect(text).toContain('quote the user')
    expect(text).toContain('The user asks the summary to focus on: the parser')
  })
})

describe('shortTokens', () => {
  it('writes windows as people know them', () => {
    expect(
      [
        150_000, 131_072, 128_000, 32_768, 1_048_576, 1_000_000, 2_000_000, 1_500_000, 950, 200_000,
      ].map(shortTokens),
    ).toEqual(['150k', '128k', '128k', '32k', '1M', '1M', '2M', '1.5M', '950', '200k'])
  })
})

describe('the conversation part of a long branch (conversationBranch)', () => {
  /** A long session with compactions, the way the engine records them (valid cuts). */
  function longBranch(rand: () => number): Entry[] {
    const branch = randomBranch(rand, 2_500)
    for (let n = 0; n < 6; n++) {
      const at = Math.floor(((n + 1) / 7) * branch.length)
      const cut = chooseCut(branch.slice(0, at), 0, 2_000)
      if (cut === null) continue
      const promptAt = branch.slice(0, cut).findLastIndex((e) => e.type === 'user_message')
      const payload = compaction({
        summary: `summary ${n}`,
        firstKeptId: branch[cut]!.id,
        ...(promptAt >= 0 && rand() < 0.5 ? { keptPromptId: branch[promptAt]!.id } : {}),
        ...fileLists(branch, at, '/ws'),
      })
      branch.splice(at, 0, entry('compaction', payload))
    }
    return branch
  }

  for (let seed = 1; seed <= 10; seed++) {
    it(`seed ${seed}: derives, counts and lists files as the whole branch does`, () => {
      const whole = longBranch(random(seed))
      const reads: number[] = []
      const part = conversationBranch((limit) => {
        reads.push(limit ?? -1)
        return limit === undefined ? whole : whole.slice(-limit)
      })
      expect(part.length).toBeLessThan(whole.length)
      expect(part.at(-1)).toBe(whole.at(-1))
      expect(deriveMessages(part)).toEqual(deriveMessages(whole))
      expect(tokensInUse(part)).toEqual(tokensInUse(whole))
      expect(fileLists(part, part.length, '/ws')).toEqual(fileLists(whole, whole.length, '/ws'))
      expect(reads.every((n) => n > 0)).toBe(true)
    })
  }

  it('reads a session never compacted whole, and a short one in one page', () => {
    const plain = randomBranch(random(99), 3_000).filter((e) => e.type !== 'compaction')
    const limits: Array<number | undefined> = []
    const read = (limit?: number): Entry[] => {
      limits.push(limit)
      return limit === undefined ? plain : plain.slice(-limit)
    }
    expect(conversationBranch(read)).toEqual(plain)
    // Pages of 1,000, 4,000, then one larger than the branch.
    expect(limits).toEqual([1_000, 4_000, 16_000])
    const short = plain.slice(0, 500)
    expect(conversationBranch((limit) => (limit ? short.slice(-limit) : short))).toEqual(short)
  })
})

describe('a compaction after a model switch is named for it', () => {
  const answer = assistant('hi')
  const switchTo = (ref: string, from: string | null): Entry => entry('model_switch', { ref, from })
  it('a switch since the last answer, from another model or from the default', () => {
    expect(
      switchedSinceLastCall([prompt('a'), answer, switchTo('p/small', 'p/big'), prompt('b')]),
    ).toBe(true)
    expect(
      switchedSinceLastCall([prompt('a'), answer, switchTo('p/small', null), prompt('b')]),
    ).toBe(true)
  })
  it('not the session’s first choice, a switch before the last answer, or none', () => {
    expect(switchedSinceLastCall([switchTo('p/small', null), prompt('a')])).toBe(false)
    expect(switchedSinceLastCall([switchTo('p/small', 'p/big'), answer, prompt('b')])).toBe(false)
    expect(
      switchedSinceLastCall([prompt('a'), answer, switchTo('p/big', 'p/big'), prompt('b')]),
    ).toBe(false)
  })
})
