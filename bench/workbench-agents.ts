import type { ReplyTurn, Turn } from '../test/support/fake-llm'

/**
 * What the fake model says to the workbench bench's agents, served by the loopback fake LLM's
 * `answer` callback (at the wire: the engine streams it over HTTP as from a real server). Each
 * agent's prompt names it ("Bench agent 3"); the number of tool results in the request says how
 * far it is. Every step streams a markdown paragraph in small chunks, then calls a tool: `bash`
 * commands that print into the session's agent terminal, a `read`, an `edit`.
 */

/** Steps per agent before its final answer: about 15–20 s of streaming each. */
export const STEPS = 12
/** Chunks per step's text, and the pause between SSE events. */
const CHUNKS = 48
const DELAY_MS = 22
/** Lines of the file each agent reads and edits (`src/agent<N>.ts`). */
export const MODULE_LINES = 200

export function agentPrompt(n: number): string {
  return `Bench agent ${n}: work through the module, then sum up.`
}

/** The file `src/agent<n>.ts` the agent reads and edits, as written before the run. */
export function agentModule(n: number): string {
  const lines: string[] = []
  for (let i = 0; i < MODULE_LINES; i++) lines.push(`export const a${n}v${i} = ${i} // value ${i}`)
  return lines.join('\n') + '\n'
}

const WORDS = (
  'parser cache index router schema buffer worker loader queue module render totals bounds ' +
  'offsets imports exports tests fixtures config'
).split(' ')

/** A few words that differ at every step and agent: the loop guard must not see a repeat. */
function phrase(n: number, step: number, k: number): string {
  const at = (i: number): string => WORDS[(n * 7 + step * 5 + k * 3 + i) % WORDS.length]!
  return `${at(0)} ${at(1)} and the ${at(2)} of part ${step * 10 + k}`
}

/**
 * A step's text: markdown (bold, inline code, a list, a fenced block) that never repeats a
 * paragraph (Paddock stops an agent that goes in circles), cut into small chunks.
 */
function stepText(n: number, step: number): string[] {
  const text =
    `Step **${step + 1}** for agent ${n}: looking at the ${phrase(n, step, 0)} in ` +
    `\`src/agent${n}.ts\`. The values from \`a${n}v${step}\` onwards look right; ${phrase(n, step, 1)} next.\n\n` +
    `- check the ${phrase(n, step, 2)}\n- then the ${phrase(n, step, 3)}\n` +
    `- step ${step} of agent ${n}: ${phrase(n, step, 4)}\n\n` +
    '```ts\n' +
    `const total${step} = values${n}.reduce((a, b) => a + b, ${step}) // ${phrase(n, step, 5)}\n` +
    `\`\`\`\n\nNow the tool for step ${step + 1} (${phrase(n, step, 6)}).`
  const size = Math.ceil(text.length / CHUNKS)
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

function stepTool(n: number, step: number): ReplyTurn['toolCalls'] {
  switch (step % 4) {
    case 0:
      return [
        {
          name: 'bash',
          arguments: {
            command: `for i in $(seq 1 400); do echo "agent ${n} build ${step}: compiling module_$i.ts ok"; done`,
          },
        },
      ]
    case 1:
      return [{ name: 'read', arguments: { path: `src/agent${n}.ts`, offset: 1 + step } }]
    case 2:
      return [
        {
          name: 'edit',
          arguments: {
            path: `src/agent${n}.ts`,
            old_string: `export const a${n}v${step} = ${step} //`,
            new_string: `export const a${n}v${step} = ${step} + 1 //`,
          },
        },
      ]
    default:
      return [
        {
          name: 'bash',
          arguments: {
            command: `seq 1 1500 | awk '{ print "agent ${n} test " $1 " of 1500 passed in " $1 % 97 " ms" }'`,
          },
        },
      ]
  }
}

interface RequestLike {
  messages?: Array<{ role: string; content?: unknown }>
}

/** The turn for one request of a bench agent; undefined for anything else (the script answers). */
export function answerAgent(body: unknown): Turn | undefined {
  const messages = (body as RequestLike).messages ?? []
  const firstUser = messages.find((m) => m.role === 'user')
  const text =
    typeof firstUser?.content === 'string' ? firstUser.content : JSON.stringify(firstUser?.content)
  const match = /Bench agent (\d+)/.exec(text ?? '')
  if (!match) return { text: 'Bench' }
  const n = Number(match[1])
  const step = messages.filter((m) => m.role === 'tool').length
  if (step >= STEPS) {
    return {
      text: [`Done: agent ${n} `, 'built, read, ', 'edited and ', 'tested the module.'],
      delayMs: DELAY_MS,
    }
  }
  return { text: stepText(n, step), toolCalls: stepTool(n, step), delayMs: DELAY_MS }
}
